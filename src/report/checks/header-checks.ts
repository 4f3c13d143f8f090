/**
 * The header checks: Message-ID and Date, which RFC 5322 asks every message
 * to carry and filters score when they are missing or odd.
 */
import type { HeaderLine } from '../../mail/parse/headers.js';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import { quoted } from './wording.js';

// RFC 5322's msg-id, loosely: one "left@right" in angle brackets, no blanks.
const MESSAGE_ID = /^<[^<>@\s]+@[^<>@\s]+>$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `message-id`: fails without a Message-ID header, warns when it is not `<left@right>`. */
export function messageIdCheck(headers: readonly HeaderLine[]): ReportCheck {
  const value = headers.find((header) => header.name === 'message-id')?.value.trim();
  if (value === undefined || value === '') {
    return finding('message-id', 'fail', 'The message has no Message-ID header; have your sending software or server add one, such as <unique-id@your-domain>.');
  }
  if (!MESSAGE_ID.test(value)) {
    return finding('message-id', 'warn', `The Message-ID ${quoted(value)} is not of the form <unique-id@your-domain>; write it that way.`);
  }
  return finding('message-id', 'pass', 'The Message-ID is well formed.');
}

/**
 * `date`: fails without a readable Date header, warns when it is more than a
 * day before or after `receivedAt` (ms since the epoch, when this server took
 * the message), as a wrong clock or a stale queue would make it.
 */
export function dateCheck(headers: readonly HeaderLine[], date: number | null, receivedAt: number): ReportCheck {
  const value = headers.find((header) => header.name === 'date')?.value.trim();
  if (value === undefined || value === '') {
    return finding('date', 'fail', 'The message has no Date header; have your sending software or server add the time it was sent.');
  }
  if (date === null) {
    return finding('date', 'fail', `The Date header ${quoted(value)} is not a readable date; write it as RFC 5322 does, e.g. "Thu, 4 Dec 2025 10:00:00 +0000".`);
  }
  const days = (receivedAt - date) / DAY_MS;
  if (Math.abs(days) > 1) {
    const when = days > 0 ? `${days.toFixed(1)} days before` : `${(-days).toFixed(1)} days after`;
    return finding('date', 'warn', `The Date header ${quoted(value)} is ${when} the message arrived; check the sending host's clock and time zone, and that mail does not sit in a queue.`);
  }
  return finding('date', 'pass', 'The Date header is readable and close to the time the message arrived.');
}
