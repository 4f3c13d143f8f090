/**
 * RFC 2047 encoded words and base64 text for the intake digest, decoded as
 * libmime (mailparser's header decoder) decodes them, so that a Subject or a
 * MIME parameter reads the same in the digest as in the full parse. The
 * reader path's own decoder (parse-headers.ts) is stricter about what counts
 * as an encoded word, which is right for its header list but would make the
 * two paths disagree.
 */
import { decodeCharset, sameCharset } from './quick-digest-charset.js';

// The patterns below are only ever used with String#replace, which starts
// every call from lastIndex 0 and leaves it there, so sharing them is safe.
// Each part of a word stops at the next "?", so matching stays linear.
const JOINABLE_B = /(=\?([^?]+)\?[Bb]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Bb]\?[^?]*\?=)/g;
const JOINABLE_Q = /(=\?([^?]+)\?[Qq]\?[^?]*\?=)\s*(?==\?([^?]+)\?[Qq]\?[^?]*\?=)/g;
const JOIN_MARK = '__\x00JOIN\x00__';
const JOINED = /(\?=)?__\x00JOIN\x00__(=\?([^?]+)\?[QqBb]\?)?/g;
const GAP_BETWEEN_WORDS = /(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g;
const ENCODED_WORD = /=\?([\w_\-*]+)\?([QqBb])\?([^?]*)\?=/g;

/**
 * Decodes the encoded words in a header value: adjacent words in one charset
 * are joined before decoding (senders split multi-byte characters across
 * them), whitespace between words is dropped, other text is kept.
 */
export function decodeWords(value: string): string {
  const markJoin = (match: string, word: string, left: string, right: string): string =>
    (sameCharset(left, right) ? word + JOIN_MARK : match);
  return value
    .replace(JOINABLE_B, markJoin)
    .replace(JOINABLE_Q, markJoin)
    .replace(JOINED, '')
    .replace(GAP_BETWEEN_WORDS, '$1')
    .replace(ENCODED_WORD, (_word, charset: string, encoding: string, payload: string) => decodeWord(charset, encoding, payload));
}

/** The text of one encoded word, given its charset (an RFC 2231 language suffix is ignored), B or Q, and payload. */
export function decodeWord(charset: string, encoding: string, payload: string): string {
  const label = charset.split('*', 1)[0] ?? '';
  if (encoding === 'B' || encoding === 'b') return decodeCharset(decodeBase64Text(payload), label);
  // Spaces after "=" are taken for a broken line split; "_" and blanks are spaces.
  const text = Buffer.from(payload.replace(/=\s+([0-9a-fA-F])/g, '=$1').replace(/[_\s]/g, ' '));
  const bytes: number[] = [];
  for (let at = 0; at < text.length; at += 1) {
    const byte = text[at] as number;
    const high = hexValue(text[at + 1]);
    const low = hexValue(text[at + 2]);
    if (byte === 0x3d && at <= text.length - 2 && high >= 0 && low >= 0) {
      bytes.push(high * 16 + low);
      at += 2;
    } else {
      bytes.push(byte);
    }
  }
  return decodeCharset(Buffer.from(bytes), label);
}

/** The value of a hex digit's char code, or -1 when it is none (or missing). */
export function hexValue(code: number | undefined): number {
  if (code === undefined) return -1;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Base64 text to bytes as libbase64 decodes it: characters outside latin1
 * are skipped, and text padded in several places ("QQ==QQ==", every line
 * padded on its own) is decoded segment by segment, where Buffer.from would
 * stop at the first "=".
 */
export function decodeBase64Text(encoded: string): Buffer {
  const text = /[^\u0000-\u00ff]/.test(encoded) ? encoded.replace(/[^\u0000-\u00ff]+/g, '') : encoded;
  const padding = text.indexOf('=');
  if (padding < 0 || !/[a-zA-Z0-9+/\-_]/.test(text.slice(padding))) return Buffer.from(text, 'base64');
  const output = Buffer.alloc(Math.floor((text.length * 3) / 4));
  let length = 0;
  for (let start = 0; start <= text.length;) {
    const next = text.indexOf('=', start);
    const end = next < 0 ? text.length : next;
    if (end > start) length += output.write(text.substring(start, end), length, 'base64');
    start = end + 1;
  }
  return Buffer.from(output.subarray(0, length));
}
