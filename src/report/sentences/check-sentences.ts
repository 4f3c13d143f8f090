/**
 * The sentences of the checks on the message as a whole: its headers, its
 * parts and size, its attachments and, for bulk mail, one-click unsubscribe.
 * `header` and `name` values are quoted as the message wrote them.
 */
import { andList, fixed, sizeText, template } from './sentence.js';

// "101.6 KB (104,000 bytes)"
const size = (bytes: number): string => `${sizeText(bytes)} (${bytes.toLocaleString('en-US')} bytes)`;

/** Message-ID and Date, which RFC 5322 asks of every message. */
export const HEADER_SENTENCES = {
  'message-id.missing': fixed('The message has no Message-ID header; have your sending software or server add one, such as <unique-id@your-domain>.'),
  'message-id.malformed': template(['header'], (v) => `The Message-ID ${v.header} is not of the form <unique-id@your-domain>; write it that way.`),
  'message-id.ok': fixed('The Message-ID is well formed.'),
  'date.missing': fixed('The message has no Date header; have your sending software or server add the time it was sent.'),
  'date.unreadable': template(['header'],
    (v) => `The Date header ${v.header} is not a readable date; write it as RFC 5322 does, e.g. "Thu, 4 Dec 2025 10:00:00 +0000".`),
  // `seconds` between the Date header and arrival, said in days to one decimal.
  'date.before-arrival': template(['header', 'seconds'], (v) => dateSkew(v.header, `${days(v.seconds)} days before`)),
  'date.after-arrival': template(['header', 'seconds'], (v) => dateSkew(v.header, `${days(v.seconds)} days after`)),
  'date.ok': fixed('The Date header is readable and close to the time the message arrived.'),
};

const days = (seconds: number): string => (seconds / 86_400).toFixed(1);

function dateSkew(header: string, when: string): string {
  return `The Date header ${header} is ${when} the message arrived; check the sending host's clock and time zone, and that mail does not sit in a queue.`;
}

/** The parts and the size of the message. */
export const BODY_SENTENCES = {
  'text-part.plain-text': fixed('The message is plain text.'),
  'text-part.alternative': fixed('The HTML has a plain-text alternative.'),
  'text-part.missing': fixed('The message has HTML but no plain-text part; send it as multipart/alternative with a text/plain version, '
    + 'which filters expect and text-only readers need.'),
  'html-size-clipping.clipped': template(['bytes'], (v) => `The HTML is ${size(v.bytes)}; Gmail clips HTML over 102 KB and hides the rest, `
    + 'unsubscribe link included, behind "View entire message". Shorten it: repeated inline styles, comments and unused markup are the usual bulk.'),
  'html-size-clipping.near-limit': template(['bytes'],
    (v) => `The HTML is ${size(v.bytes)}, close to the 102 KB at which Gmail clips it; Gmail's rewriting can push it over, so keep it shorter.`),
  'html-size-clipping.no-html': fixed('The message has no HTML.'),
  'html-size-clipping.ok': template(['bytes'], (v) => `The HTML is ${size(v.bytes)}, under the 102 KB at which Gmail clips it.`),
  'total-size.too-big': template(['bytes'],
    (v) => `The message is ${size(v.bytes)}; many providers refuse mail over 20 to 25 MB, so link to large files instead of attaching them.`),
  'total-size.big': template(['bytes'],
    (v) => `The message is ${size(v.bytes)}; some providers refuse mail over 10 MB, so link to large files instead of attaching them.`),
  'total-size.ok': template(['bytes'], (v) => `The message is ${size(v.bytes)}, under the 10 MB some providers refuse.`),
};

/** Risky attachments; `files` are quoted names and the phrases below. */
export const ATTACHMENT_SENTENCES = {
  'risky-attachment.none': fixed('No attachment is of a type providers block.'),
  'risky-attachment.found': template(['files'], (v) => 'Providers block or strip executable, script, disk-image and macro-enabled attachments, '
    + `and this message has ${andList(v.files)}; share such files through a link instead.`),
  // `type` is the attachment's content type.
  'risky-attachment.unnamed': template(['type'], (v) => `an unnamed ${v.type}`),
  'risky-attachment.unnamed-file': fixed('an unnamed file'),
  // `disguise` is the harmless-looking extension before the real one: pdf for "invoice.pdf.exe".
  'risky-attachment.disguised': template(['name', 'disguise'], (v) => `${v.name} (posing as a .${v.disguise})`),
  'risky-attachment.in-archive': template(['file', 'archive'], (v) => `${v.file} inside ${v.archive}`),
  'risky-attachment.in-unnamed-archive': template(['file'], (v) => `${v.file} inside "an unnamed archive"`),
};

/** One-click unsubscribe for bulk mail (RFC 8058); `signal` and `requirements` are the phrases below. */
export const BULK_SENTENCES = {
  'list-unsubscribe-one-click.not-bulk': fixed('The message does not look like bulk mail, so it needs no one-click unsubscribe.'),
  'list-unsubscribe-one-click.offered': template(['signal'],
    (v) => `The message looks like bulk mail (${v.signal}) and offers one-click unsubscribe as RFC 8058 defines it.`),
  'list-unsubscribe-one-click.missing': template(['signal', 'requirements'], (v) => `The message looks like bulk mail (${v.signal}), `
    + `and Gmail and Yahoo require one-click unsubscribe (RFC 8058) of bulk senders: ${andList(v.requirements)}.`),
  'list-unsubscribe-one-click.signal-header': fixed('it has a List-Unsubscribe header'),
  'list-unsubscribe-one-click.signal-list-id': fixed('it has a List-Id header'),
  'list-unsubscribe-one-click.signal-precedence': fixed('its Precedence header says bulk or list'),
  'list-unsubscribe-one-click.signal-link': fixed('it has an unsubscribe link'),
  'list-unsubscribe-one-click.add-https-url': fixed('add a List-Unsubscribe header with an https URL, such as <https://your-domain/unsubscribe?id=…>'),
  'list-unsubscribe-one-click.add-post-header': fixed('add the header "List-Unsubscribe-Post: List-Unsubscribe=One-Click"'),
  'list-unsubscribe-one-click.sign-unverified': fixed('sign both headers with a DKIM signature that passes (one covers them, but DNS lookups are off, so it was not verified)'),
  'list-unsubscribe-one-click.sign-failing': fixed('sign both headers with a DKIM signature that passes (the signature that covers them does not pass)'),
  'list-unsubscribe-one-click.sign-headers': fixed('sign both headers with DKIM (list list-unsubscribe and list-unsubscribe-post in the signature\'s h= tag)'),
};
