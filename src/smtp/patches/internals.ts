import type { Server } from 'node:net';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';

// smtp-server's entry point exports no name for its per-connection class
// (SMTPConnection), only the set of them on the server.
type SMTPConnection = SMTPServer['connections'] extends Set<infer Connection> ? Connection : never;

/**
 * The parts of smtp-server's per-connection object (SMTPConnection) that the
 * patches in this folder reach into. None is documented; smtp-server's
 * bundled types declare them, and each is picked from those types, so `tsc`
 * fails here if an upgrade drops or retypes one. How each behaves is pinned
 * by test/smtp/patches.test.ts.
 */
export interface ConnectionInternals extends Pick<SMTPConnection,
  'session' | 'remoteAddress' | '_closing' | '_closed' | 'send' | '_getEnhancedStatusCode' | '_parseAddressCommand' | 'handler_RCPT'> {
  /** The session object handed to every hook; smtp-server reuses it for the whole connection. */
  session: SMTPServerSession;
  /** Normalised client address (no ::ffff: prefix). */
  remoteAddress: string;
  /** True once smtp-server has ended the connection from its side (QUIT, a 421). */
  _closing: boolean;
  /** True once the socket closed. */
  _closed: boolean;
  /**
   * Writes one reply: every reply, including the ones smtp-server sends on
   * its own, goes through this single write site. `context` picks the
   * enhanced status code: a command name, a key such as 'DATA_OK' for an
   * accepted message, or false for none. A 421 also closes the connection.
   */
  send(code: number, data?: string | string[] | null, context?: string | false): void;
  /** The enhanced status code `send` writes after the reply code; '' for none. */
  _getEnhancedStatusCode(code: number, context?: string | false): string;
  /**
   * Reads a MAIL FROM or RCPT TO line (`name` 'mail from' or 'rcpt to') into
   * its address and parameters, or false. It checks the address by its own
   * syntax rules and decodes a punycode domain; an empty path `<>` it takes
   * without checking an address.
   */
  _parseAddressCommand(name: string, command: Buffer | string): ReturnType<SMTPConnection['_parseAddressCommand']>;
  /**
   * Handles one RCPT TO line: smtp-server looks the handler up on the
   * connection by name for each command, so an own property replaces it.
   * Answers 501 when `_parseAddressCommand` gives false, else checks the
   * parameters and the transaction, then calls onRcptTo with the parse.
   */
  handler_RCPT(command: Buffer, callback: () => void): void;
}

/** The parts of SMTPServer the patches reach into, undocumented as well. */
export interface ServerInternals extends Pick<SMTPServer, 'connections' | 'server'> {
  /**
   * Every open connection. smtp-server adds each new one before it greets it
   * or checks maxClients, and deletes it as soon as the connection is closing.
   */
  connections: Set<SMTPConnection>;
  /** The net.Server smtp-server listens with. */
  server: Server;
}
