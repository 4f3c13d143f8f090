import { SmtpReply } from './replies.js';

/**
 * A `RCPT TO` line as the client wrote it: the address between the angle
 * brackets, untouched, and the ESMTP parameters after it; or the 501 that
 * says why no address can be read from it at all.
 */
export type RecipientLine = { ok: true; written: string; params: string } | { ok: false; reply: SmtpReply };

const COMMAND = /^RCPT TO\s*:\s*/i;
// The path in angle brackets, then nothing or parameters after blank space. The address itself
// may hold anything but brackets, so a space or a quote in it gets the address rule's reason.
const PATH = /^<([^<>]*)>(?:\s+([^]*))?$/;
// RFC 5321 4.1.2 and appendix C: a source route ("@relay.example,@other.example:") must be
// accepted and ignored; it names relays, not the mailbox. smtp-server drops it the same way.
const SOURCE_ROUTE = /^@[^\s,:@]+(?:,@[^\s,:@]+)*:/;

/** The 501s for a line with no address to judge; 5.1.3 as smtp-server's own reply for a bad recipient. */
export const recipientLineReplies = {
  unreadable: new SmtpReply(501, '5.1.3', 'Write the recipient in angle brackets after TO:, as in RCPT TO:<name@example.com>, with any parameters after a space.'),
  empty: new SmtpReply(501, '5.1.3', 'RCPT TO:<> names nobody; put the address between the angle brackets, as in RCPT TO:<name@example.com>.'),
  badParameters: new SmtpReply(501, '5.5.4', 'A parameter after the recipient has a control character in it; parameters are plain text such as NOTIFY=NEVER.'),
};

/** Reads the address of a `RCPT TO` line exactly as written, leaving out only a source route. */
export function readRecipientLine(line: string): RecipientLine {
  const command = COMMAND.exec(line);
  const path = command === null ? null : PATH.exec(line.slice(command[0].length));
  if (path === null) return { ok: false, reply: recipientLineReplies.unreadable };
  const written = (path[1] ?? '').replace(SOURCE_ROUTE, '');
  if (written === '') return { ok: false, reply: recipientLineReplies.empty };
  return { ok: true, written, params: path[2] ?? '' };
}
