/**
 * The body checks: a plain-text alternative beside the HTML, the HTML's size
 * as Gmail counts it, and the size of the whole message.
 */
import type { ParsedMessage } from '../../mail/parse/parse.js';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import { sizeText } from './wording.js';

// Gmail clips HTML over 102 KB (counted in bytes, 1 KB = 1,024) behind "View entire message".
const GMAIL_CLIP_BYTES = 102 * 1024;
// Gmail counts the HTML as it rewrites it, which can be larger than sent, so
// a margin below the limit is worth a warning.
const CLIP_WARNING_BYTES = 90 * 1024;
// Past 10 MB some providers refuse a message, past 20 MB many (most stop at 25 MB once encoded).
const SIZE_WARNING_BYTES = 10 * 1024 * 1024;
const SIZE_FAILURE_BYTES = 20 * 1024 * 1024;

/** `text-part`: fails for HTML without a plain-text part; text-only mail passes. */
export function textPart(parsed: ParsedMessage): ReportCheck {
  if (parsed.html === null || parsed.hasTextPart) {
    return finding('text-part', 'pass', parsed.html === null ? 'The message is plain text.' : 'The HTML has a plain-text alternative.');
  }
  return finding(
    'text-part',
    'fail',
    'The message has HTML but no plain-text part; send it as multipart/alternative with a text/plain version, which filters expect and text-only readers need.',
  );
}

/** `html-size-clipping`: fails over Gmail's 102 KB of HTML, warns over 90 KB. */
export function htmlSizeClipping(html: string | null): ReportCheck {
  const bytes = html === null ? 0 : Buffer.byteLength(html, 'utf8');
  const size = `${sizeText(bytes)} (${bytes.toLocaleString('en-US')} bytes)`;
  if (bytes > GMAIL_CLIP_BYTES) {
    return finding(
      'html-size-clipping',
      'fail',
      `The HTML is ${size}; Gmail clips HTML over 102 KB and hides the rest, unsubscribe link included, behind "View entire message". ` +
        'Shorten it: repeated inline styles, comments and unused markup are the usual bulk.',
    );
  }
  if (bytes > CLIP_WARNING_BYTES) {
    return finding('html-size-clipping', 'warn', `The HTML is ${size}, close to the 102 KB at which Gmail clips it; Gmail's rewriting can push it over, so keep it shorter.`);
  }
  return finding('html-size-clipping', 'pass', html === null ? 'The message has no HTML.' : `The HTML is ${size}, under the 102 KB at which Gmail clips it.`);
}

/** `total-size`: warns over 10 MB, fails over 20 MB of raw message. */
export function totalSize(rawSize: number): ReportCheck {
  const size = `${sizeText(rawSize)} (${rawSize.toLocaleString('en-US')} bytes)`;
  if (rawSize > SIZE_FAILURE_BYTES) {
    return finding('total-size', 'fail', `The message is ${size}; many providers refuse mail over 20 to 25 MB, so link to large files instead of attaching them.`);
  }
  if (rawSize > SIZE_WARNING_BYTES) {
    return finding('total-size', 'warn', `The message is ${size}; some providers refuse mail over 10 MB, so link to large files instead of attaching them.`);
  }
  return finding('total-size', 'pass', `The message is ${size}, under the 10 MB some providers refuse.`);
}
