/**
 * smtp-server's own limits, which it enforces with a 421 and a fixed text of
 * its own (smtp-connection.js and smtp-stream.js in 3.21.6). It has no code
 * or event that says which limit struck, so the text is what tells them
 * apart; the session guard gives each Ephemail's wording and reason.
 */
export type LibraryLimit = 'idleTimeout' | 'tooManyConnections' | 'commandTooLong' | 'tooManyUnrecognizedCommands';

/** smtp-server ends the session at this many unrecognised commands in a row; not configurable. */
export const UNRECOGNIZED_COMMANDS_LIMIT = 10;

/** Which of smtp-server's own limits a reply it sends reports, or null for any other reply. */
export function libraryLimit(code: number, data: unknown): LibraryLimit | null {
  if (code !== 421 || typeof data !== 'string') return null;
  if (data === 'Timeout - closing connection') return 'idleTimeout';
  // Preceded by the server's name.
  if (data.endsWith(' Too many connected clients, try again in a moment')) return 'tooManyConnections';
  if (data === 'Error: Command line too long') return 'commandTooLong';
  if (data === 'Error: too many unrecognized commands') return 'tooManyUnrecognizedCommands';
  return null;
}
