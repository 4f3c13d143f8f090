import type { SMTPServer, SMTPServerSession } from 'smtp-server';

/**
 * The parts of smtp-server's per-connection object (SMTPConnection) that
 * Ephemail reaches into. smtp-server offers no per-reply hook, but every
 * reply, including the ones it sends on its own (idle timeout, maxClients,
 * over-long command line, too many unrecognised commands), goes through
 * `send`, its single write site. Tests in test/smtp and test/smtp-hostile pin
 * the behaviour relied on here, so an upgrade that changes it fails loudly.
 */
export interface ConnectionInternals {
  /** The session object handed to every hook; smtp-server reuses it for the whole connection. */
  session: SMTPServerSession;
  /** Normalised client address (no ::ffff: prefix). */
  remoteAddress: string;
  /** True once smtp-server has ended the connection from its side (QUIT, a 421). */
  _closing: boolean;
  /** True once the socket closed. */
  _closed: boolean;
  /**
   * Writes one reply. `context` picks the enhanced status code: a command
   * name, a key such as 'DATA_OK' for an accepted message, or false for none.
   * A 421 also closes the connection.
   */
  send(code: number, data?: string | string[], context?: string | false): void;
  _getEnhancedStatusCode?: (code: number, context?: unknown) => string;
}

/**
 * Calls `watch` for every new connection, before smtp-server greets it or
 * checks maxClients (it adds each connection to `server.connections` first,
 * then starts it).
 */
export function watchConnections(server: SMTPServer, watch: (connection: ConnectionInternals) => void): void {
  const connections = (server as unknown as { connections: Set<ConnectionInternals> }).connections;
  const add = connections.add.bind(connections);
  connections.add = (connection) => {
    watch(connection);
    return add(connection);
  };
}
