/**
 * The body checks: a plain-text alternative beside the HTML, the HTML's size
 * as Gmail counts it, and the size of the whole message.
 */
import type { ParsedMessage } from '../../mail/parse/parse.js';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import { sentence } from '../sentences/sentences.js';

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
    return finding('text-part', 'pass', sentence(parsed.html === null ? 'text-part.plain-text' : 'text-part.alternative'));
  }
  return finding('text-part', 'fail', sentence('text-part.missing'));
}

/** `html-size-clipping`: fails over Gmail's 102 KB of HTML, warns over 90 KB. */
export function htmlSizeClipping(html: string | null): ReportCheck {
  const bytes = html === null ? 0 : Buffer.byteLength(html, 'utf8');
  if (bytes > GMAIL_CLIP_BYTES) return finding('html-size-clipping', 'fail', sentence('html-size-clipping.clipped', { bytes }));
  if (bytes > CLIP_WARNING_BYTES) return finding('html-size-clipping', 'warn', sentence('html-size-clipping.near-limit', { bytes }));
  return finding('html-size-clipping', 'pass', html === null ? sentence('html-size-clipping.no-html') : sentence('html-size-clipping.ok', { bytes }));
}

/** `total-size`: warns over 10 MB, fails over 20 MB of raw message. */
export function totalSize(rawSize: number): ReportCheck {
  if (rawSize > SIZE_FAILURE_BYTES) return finding('total-size', 'fail', sentence('total-size.too-big', { bytes: rawSize }));
  if (rawSize > SIZE_WARNING_BYTES) return finding('total-size', 'warn', sentence('total-size.big', { bytes: rawSize }));
  return finding('total-size', 'pass', sentence('total-size.ok', { bytes: rawSize }));
}
