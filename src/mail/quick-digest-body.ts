/**
 * The text of one text/plain or text/html part for the intake digest,
 * decoded the way mailparser decodes it: transfer encoding (libbase64,
 * libqp), then format=flowed, then the charset, then CRLF to LF. Only the
 * first MAX_PART_BYTES of a part are read.
 */
import { decodeCharset } from './quick-digest-charset.js';
import type { MimeNode } from './quick-digest-mime.js';
import { decodeBase64Text, hexValue } from './quick-digest-words.js';

// The digest keeps the first 100,000 characters of text and 256 KiB of HTML;
// 1 MiB of encoded part yields that much for any real mail (quoted-printable
// Cyrillic, the costliest common case, gives about 170,000 characters).
const MAX_PART_BYTES = 1024 * 1024;

// Charset names mailparser reads as UTF-8 without a decoder.
const UTF8_NAMES = new Set(['ascii', 'usascii', 'utf8']);

/** The decoded text of a part, as mailparser's textContent for it. */
export function partText(raw: Buffer, node: MimeNode): string {
  const body = raw.subarray(node.bodyStart, Math.min(node.bodyEnd, node.bodyStart + MAX_PART_BYTES));
  let bytes = node.encoding === 'base64'
    ? decodeBase64Text(body.toString('latin1').replace(/[^a-zA-Z0-9+/=]/g, ''))
    : node.encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
  if (node.flowed) bytes = Buffer.from(decodeFlowed(bytes.toString('latin1'), node.delSp), 'latin1');
  const charset = node.charset || 'utf-8';
  const text = UTF8_NAMES.has(charset.toLowerCase().replace(/[^a-z0-9]+/g, '')) ? bytes.toString('utf8') : decodeCharset(bytes, charset);
  return text.replace(/\r?\n/g, '\n');
}

// libqp: blanks at line ends and soft line breaks go, then each "=XX" is a
// byte; anything else, a broken escape included, is kept as it is.
function decodeQuotedPrintable(body: Buffer): Buffer {
  const input = body.toString('latin1')
    // The leading group keeps this linear; /[ \t]+$/gm would rescan each run of blanks.
    .replace(/(^|[^ \t])[ \t]+(?=[\n\r\u2028\u2029]|$)/g, '$1')
    .replace(/[=](?:\r?\n|$)/g, '');
  const output = Buffer.alloc(input.length);
  let length = 0;
  for (let at = 0; at < input.length; at += 1) {
    const code = input.charCodeAt(at);
    const high = code === 0x3d && at < input.length - 2 ? hexValue(input.charCodeAt(at + 1)) : -1;
    const low = high >= 0 ? hexValue(input.charCodeAt(at + 2)) : -1;
    if (low >= 0) {
      output[length++] = high * 16 + low;
      at += 2;
    } else {
      output[length++] = code;
    }
  }
  return output.subarray(0, length);
}

/**
 * libmime's RFC 3676 unwrapping, on text one char per byte: a line ending in
 * a space continues on the next line of the same quote depth (without that
 * space when delsp=yes), except after a "-- " signature separator; space
 * stuffing is removed.
 */
function decodeFlowed(input: string, delSp: boolean): string {
  const lines = input.split(/\r?\n/);
  const result: string[] = [];
  let parts: string[] = [];
  let partsLength = 0;
  let depth = 0;
  let prefix = '';
  const pushPart = (part: string): void => {
    if (part === '') return;
    parts.push(part);
    partsLength += part.length;
  };
  lines.forEach((line, index) => {
    let lineDepth = 0;
    while (line.charCodeAt(lineDepth) === 0x3e) lineDepth += 1;
    const prefixLength = lineDepth > 0 && line.charCodeAt(lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    const content = line.slice(prefixLength);
    const last = parts.at(-1) ?? '';
    const softBreak = lineDepth === depth && last.endsWith(' ') && !(partsLength === 3 && parts.join('') === '-- ');
    if (softBreak && delSp) {
      parts.pop();
      partsLength -= last.length;
      pushPart(last.slice(0, -1));
      pushPart(content);
    } else if (softBreak) {
      pushPart(lineDepth > 0 ? content : content.replace(/^ /, ''));
    } else {
      if (index > 0) result.push(prefix + parts.join(''));
      parts = [];
      partsLength = 0;
      depth = lineDepth;
      prefix = line.slice(0, prefixLength);
      pushPart(content);
    }
  });
  if (partsLength > 0 || prefix !== '') result.push(prefix + parts.join(''));
  return result.join('\n').replace(/^ /gm, '');
}
