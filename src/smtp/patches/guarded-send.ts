import type { SMTPServerSession } from 'smtp-server';
import { watchConnections } from './connection-registry.js';
import type { ConnectionInternals, ServerInternals } from './internals.js';

/** Writes one reply, as smtp-server's `send` takes it. */
export type SendReply = ConnectionInternals['send'];

/** One connection as a reply filter sees it. */
export interface GuardedConnection {
  /** The session handed to every hook for this connection. */
  readonly session: SMTPServerSession;
  readonly remoteAddress: string;
  /** smtp-server already ended the connection (QUIT, a 421) or its socket closed: a reply would go nowhere. */
  readonly ending: boolean;
  /** smtp-server's own `send`, past the filter. A 421 makes smtp-server close the connection. */
  readonly send: SendReply;
}

// A class, not an object literal with getters: one is made per connection.
class ConnectionView implements GuardedConnection {
  readonly send: SendReply;

  constructor(private readonly connection: ConnectionInternals) {
    this.send = connection.send.bind(connection);
  }

  get session(): SMTPServerSession {
    return this.connection.session;
  }

  get remoteAddress(): string {
    return this.connection.remoteAddress;
  }

  get ending(): boolean {
    return this.connection._closing || this.connection._closed;
  }
}

/**
 * Routes every reply of every connection through the filter `open` returns
 * for it, from the greeting on. smtp-server offers no per-reply hook, but
 * every reply, including the ones it sends on its own (idle timeout,
 * maxClients, over-long command line, too many unrecognised commands), goes
 * through the connection's `send`, its single write site, so this replaces
 * that method on each connection. The filter writes through
 * `connection.send`, or not at all.
 */
export function filterReplies(server: ServerInternals, open: (connection: GuardedConnection) => SendReply): void {
  watchConnections(server, (connection) => {
    connection.send = open(new ConnectionView(connection));
  });
}

// The context smtp-server gives `send` for its reply to a delivered message.
const DELIVERED = 'DATA_OK';

/** Whether a reply's `context` marks it as the 250 for a message that was accepted. */
export function isDeliveredReply(context: string | false | undefined): boolean {
  return context === DELIVERED;
}
