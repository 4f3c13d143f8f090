/**
 * Charsets for the intake digest (quick-digest.ts), read the way mailparser
 * reads them through libmime and iconv-lite, but with the runtime's
 * TextDecoder: the same label aliases (libmime's table is the WHATWG label
 * list), UTF-8 for a label neither knows or one that is refused (UTF-7 can
 * smuggle markup past filters), and U+FFFD for a byte a Windows code page
 * leaves undefined, where ICU passes it through as a C1 control.
 *
 * Charsets iconv-lite knows outside the WHATWG list (CP437, CP850,
 * ISO-8859-16, Mac Central European, UTF-32 and the like) are read as UTF-8
 * here; the full parse readers get still decodes them properly.
 */
import { TextDecoder } from 'node:util';

// libmime's second pass for names that are no WHATWG label: "win-1257",
// "latin-2", "iso8859_5", "utf_8" become labels the first pass knows.
const RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^utf[-_]?(\d+)/, 'utf-$1'],
  [/^(?:us[-_]?)ascii/, 'windows-1252'],
  [/^win(?:dows)?[-_]?(\d+)/, 'windows-$1'],
  [/^(?:latin|iso[-_]?8859)?[-_]?(\d+)/, 'iso-8859-$1'],
  [/^l[-_]?(\d+)/, 'iso-8859-$1'],
];

// libmime hands these to encoding-japanese rather than iconv-lite; the WHATWG
// decoders agree with it on well-formed text.
const JAPANESE = /^jis|^iso-?2022-?jp|^eucjp/i;

// libmime keeps this one label on iconv-lite's UTF-16, which reads the byte
// order from a BOM or guesses it, where the WHATWG label means UTF-16LE.
const GUESSED_UTF16 = 'utf-16';

// Node 20's TextDecoder drops every byte 0x80-0x9F in windows-1252 (which
// "us-ascii", "iso-8859-1" and "latin1" all name), so that row is spelled out:
// iconv-lite's cp1252, U+FFFD where the charset defines nothing.
const WINDOWS_1252_C1 =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

// The WHATWG encoding a charset label resolves to as libmime resolves it,
// 'utf-16' for iconv-lite's guessing UTF-16, or null when the label is
// unknown or refused (read as UTF-8).
function charsetEncoding(charset: string): string | null {
  const label = (charset || 'utf-8').toLowerCase().trim();
  if (label === GUESSED_UTF16) return GUESSED_UTF16;
  const renamed = RENAMES.reduce((name, [pattern, replacement]) => name.replace(pattern, replacement), label);
  const decoder = decoderFor(label) ?? decoderFor(renamed);
  if (decoder !== null) return decoder.encoding;
  return JAPANESE.test(renamed) ? (/^euc/i.test(renamed) ? 'euc-jp' : 'iso-2022-jp') : null;
}

/** Whether two labels name the same charset, as libmime decides before joining encoded words. */
export function sameCharset(left: string, right: string): boolean {
  const key = (label: string): string => charsetEncoding(label) ?? label.toLowerCase().trim();
  return key(left) === key(right);
}

/** Decodes bytes written in `charset` (a label as found in mail) the way libmime's `decode` does. */
export function decodeCharset(bytes: Buffer, charset: string): string {
  const encoding = charsetEncoding(charset);
  if (encoding === null || encoding === 'utf-8') return bytes.toString('utf8');
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (encoding === GUESSED_UTF16) return decodeWith(guessUtf16(bytes), bytes);
  return decodeWith(encoding, bytes);
}

function decodeWith(encoding: string, bytes: Buffer): string {
  if (/^utf-16/.test(encoding)) {
    // iconv-lite drops an odd byte at the end where TextDecoder writes U+FFFD.
    return new TextDecoder(encoding).decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  }
  const text = new TextDecoder(encoding).decode(bytes);
  // The Windows code pages define no C1 controls, so one in the output is a
  // byte ICU passed through undefined, which iconv-lite reads as U+FFFD.
  return encoding.startsWith('windows-') ? text.replace(/[\x80-\x9f]/g, '\ufffd') : text;
}

function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c1) => WINDOWS_1252_C1.charAt(c1.charCodeAt(0) - 0x80));
}

// iconv-lite's guess: a BOM decides; else whichever byte order makes more of
// the first 100 characters ASCII, little-endian when that is a tie.
function guessUtf16(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  let bigEndian = 0;
  let littleEndian = 0;
  for (let at = 0; at + 1 < Math.min(bytes.length, 200); at += 2) {
    if (bytes[at] === 0 && bytes[at + 1] !== 0) bigEndian += 1;
    if (bytes[at] !== 0 && bytes[at + 1] === 0) littleEndian += 1;
  }
  return bigEndian > littleEndian ? 'utf-16be' : 'utf-16le';
}
