import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { watchConnections } from '../../src/smtp/patches/connection-registry.js';
import { filterReplies } from '../../src/smtp/patches/guarded-send.js';
import type { ConnectionInternals } from '../../src/smtp/patches/internals.js';
import { listenerOf } from '../../src/smtp/patches/listener.js';
import { openDialog, type SmtpDialog } from './smtp-dialog.js';

/** One call of a connection's `send`, as smtp-server made it. */
export interface Sent {
  code: number;
  data: string | string[] | null | undefined;
  context: string | false | undefined;
}

export interface Bare {
  server: SMTPServer;
  port: number;
  /** Every connection, as the registry saw it. */
  connections: ConnectionInternals[];
  /** The replies of each connection (same order as `connections`), as they went through `send`. */
  sent: Sent[][];
  /** Every session a hook was handed. */
  hookSessions: SMTPServerSession[];
}

/**
 * Bare smtp-servers for the tests that pin the smtp-server internals the
 * patches use (test/smtp/patches*.test.ts); `closeAll` after each test.
 */
export function bareServers() {
  const running: Array<{ server: SMTPServer; dialogs: SmtpDialog[] }> = [];

  /** A bare smtp-server on port 0 that records, through the patches, what Ephemail relies on. */
  async function startBare(options: SMTPServerOptions = {}, install: (server: SMTPServer) => void = () => undefined): Promise<Bare> {
    const hookSessions: SMTPServerSession[] = [];
    const hook = (session: SMTPServerSession, callback: () => void) => {
      hookSessions.push(session);
      callback();
    };
    const server = new SMTPServer({
      logger: false,
      disableReverseLookup: true,
      authOptional: true,
      hideENHANCEDSTATUSCODES: false,
      closeTimeout: 100,
      onConnect: (session, callback) => hook(session, callback),
      onMailFrom: (_address, session, callback) => hook(session, callback),
      onRcptTo: (_address, session, callback) => hook(session, callback),
      onData(stream, session, callback) {
        hookSessions.push(session);
        stream.on('end', () => callback(null, 'Stored'));
        stream.resume();
      },
      ...options,
    });
    const connections: ConnectionInternals[] = [];
    const sent: Sent[][] = [];
    watchConnections(server, (connection) => {
      connections.push(connection);
    });
    filterReplies(server, (connection) => {
      const replies: Sent[] = [];
      sent.push(replies);
      return (code, data, context) => {
        replies.push({ code, data, context });
        connection.send(code, data, context);
      };
    });
    install(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    running.push({ server, dialogs: [] });
    return { server, port: (listenerOf(server).address() as AddressInfo).port, connections, sent, hookSessions };
  }

  /** Opens a dialog that afterEach closes. */
  async function dial(bare: Bare): Promise<SmtpDialog> {
    const dialog = await openDialog(bare.port);
    running.find(({ server }) => server === bare.server)?.dialogs.push(dialog);
    return dialog;
  }

  async function closeAll(): Promise<void> {
    for (const { server, dialogs } of running.splice(0)) {
      for (const dialog of dialogs) dialog.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  return { startBare, dial, closeAll };
}
