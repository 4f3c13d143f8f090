/**
 * What each check of the report costs the score, in one table (README.md
 * shows it). A `fail` costs the check's full penalty, a `warn` exactly half
 * of it, `pass` and `info` nothing. Authentication weighs most: providers
 * decide spam or inbox on it first. Some checks only ever warn (said below),
 * so a message with every content problem loses 8.25 points: content alone
 * takes a score of 10 down to 1.75, and one missing text part costs 1.
 */
import type { CheckStatus, ReportCheck } from './report.js';
import type { Sentence } from './sentences/sentence.js';
import { english } from './sentences/sentences.js';

/** The penalty of a failed check, by check id; a warning costs half. */
export const CHECK_PENALTIES = {
  /** The client is not allowed by SPF (fail), or SPF proves nothing: softfail, neutral, no record, a lookup error (warn). */
  spf: 2,
  /** Unsigned, or a signature that does not verify (fail); signed only by another domain, or a lookup error (warn). Gmail and Yahoo require DKIM since 2024. */
  dkim: 2,
  /** The From domain's DMARC policy is not met (fail), or it publishes none, or a lookup error (warn). */
  dmarc: 2,
  /** Neither a DKIM signer nor MAIL FROM shares the From domain (judged without DNS): what a spoofed From looks like. */
  'from-alignment': 1.5,
  /** A forwarder's ARC seal does not verify. */
  arc: 0.5,
  /** Bulk-looking mail without RFC 8058 one-click unsubscribe, DKIM-signed: Gmail and Yahoo reject or junk it since 2024. */
  'list-unsubscribe-one-click': 1.5,
  /** HTML over 102 KB (fail) or over 90 KB (warn): Gmail hides the rest behind "View entire message", unsubscribe link included. */
  'html-size-clipping': 0.5,
  /** HTML without a plain-text alternative: a classic spam-filter signal, and unreadable in text-only clients. */
  'text-part': 1,
  /** Mostly images, little text (only ever a warning): filters cannot read images and read the lack of text as a spam sign. */
  'image-text-balance': 1,
  /** Images without `alt` (only ever a warning): blocked or unread images leave nothing to read, and screen readers say nothing. */
  'image-alt': 0.5,
  /** Remote images: never charged (`info`); every major client blocks them until the reader allows them. */
  'remote-images': 0,
  /** A link whose text shows one domain and whose target is another: the classic phishing pattern. */
  'link-domain-mismatch': 1,
  /** Links through public URL shorteners (only ever a warning), which spammers use to hide where a link goes. */
  'url-shortener': 0.5,
  /** A missing (fail) or malformed (warn) Message-ID (RFC 5322 says it should be there; filters score its absence). */
  'message-id': 0.5,
  /** A missing or unreadable Date (fail; RFC 5322 requires one), or one more than a day away from arrival (warn). */
  date: 0.5,
  /** Executable, script or macro attachments: most providers refuse or strip them. */
  'risky-attachment': 1.5,
  /** A message over 10 MB (warn) or 20 MB (fail): many providers refuse more than 25 MB once encoded. */
  'total-size': 0.5,
  /** HTML or CSS that major clients do not support (caniemail data); only ever a warning. */
  'email-client-support': 0.5,
  /** A hop over 5 minutes (only ever a warning): the sender's queue or a relay is slow. */
  'slow-hop': 1,
  /** Over 15 minutes from the Date header to arrival (only ever a warning): a sign-up code may have expired by then. The total usually carries a slow hop again, so it costs less, to count one slow relay about once. */
  'delivery-time': 0.5,
} as const satisfies Record<string, number>;

/** A check's stable id. */
export type CheckId = keyof typeof CHECK_PENALTIES;

/**
 * The finding `id` came to, said as `said` and then `notes`, with what it
 * costs: all of its penalty for `fail`, half for `warn`, nothing otherwise.
 */
export function finding(id: CheckId, status: CheckStatus, said: Sentence, notes: readonly Sentence[] = []): ReportCheck {
  const full = CHECK_PENALTIES[id];
  const penalty = status === 'fail' ? full : status === 'warn' ? full / 2 : 0;
  const message = [said, ...notes].map(english).join(' ');
  return { id, status, message, messageCode: said.code, messageValues: said.values, messageNotes: [...notes], penalty };
}
