import type { SmtpReply } from '../replies.js';
import type { RecipientLine } from '../recipient-line.js';
import { watchConnections } from './connection-registry.js';
import { useEnhancedCode } from './enhanced-codes.js';
import type { ConnectionInternals, ServerInternals } from './internals.js';

/** What the patch needs: how a RCPT TO line reads, and the reply for parameters smtp-server cannot read. */
export interface RecipientsAsWritten {
  read: (line: string) => RecipientLine;
  badParameters: SmtpReply;
}

type Parsed = Exclude<ReturnType<ConnectionInternals['_parseAddressCommand']>, false>;

/**
 * Hands onRcptTo each recipient exactly as the client wrote it. smtp-server
 * reads the path of RCPT TO itself: it refuses what its own syntax check
 * dislikes (`a..b`, a leading dot, a space) with a generic `501 Error: Bad
 * recipient address syntax`, and decodes a punycode domain, before onRcptTo
 * sees the address. Ephemail's address rule must judge what was written and
 * give its own reason, so this replaces, on every connection:
 * - `handler_RCPT`, to answer a line `read` finds no address in (no angle
 *   brackets, `<>`), or whose parameters smtp-server cannot read, with a 501
 *   and a sentence, before smtp-server's handler runs;
 * - `_parseAddressCommand`, which MAIL FROM and RCPT TO share: for RCPT TO
 *   it returns the address as written, with smtp-server's own reading of the
 *   parameters (it is given the line with an empty path, for which it checks
 *   no address). MAIL FROM stays smtp-server's.
 */
export function takeRecipientsAsWritten(server: ServerInternals, { read, badParameters }: RecipientsAsWritten): void {
  watchConnections(server, (connection) => {
    const parse = connection._parseAddressCommand.bind(connection);
    const handle = connection.handler_RCPT.bind(connection);

    function asWritten(line: string): { parsed: Parsed } | { reply: SmtpReply } {
      const recipient = read(line);
      if (!recipient.ok) return { reply: recipient.reply };
      const params = parse('rcpt to', `RCPT TO:<> ${recipient.params}`);
      return params === false ? { reply: badParameters } : { parsed: { ...params, address: recipient.written } };
    }

    connection._parseAddressCommand = (name, command) => {
      if (name !== 'rcpt to') return parse(name, command);
      const outcome = asWritten(command.toString());
      return 'parsed' in outcome ? outcome.parsed : false;
    };
    connection.handler_RCPT = (command, callback) => {
      // Read here and again in the parse smtp-server's handler calls: a pure reading of one short line.
      const outcome = asWritten(command.toString());
      if ('parsed' in outcome) return handle(command, callback);
      useEnhancedCode(connection.session, outcome.reply.enhancedCode);
      connection.send(outcome.reply.responseCode, outcome.reply.message);
      callback();
    };
  });
}
