/**
 * Header text helpers for parse.ts: the ordered, decoded header list and a
 * fallback subject scan for messages the parser gave up on. mailparser's own
 * header map merges, reorders and restructures headers, and its RFC 2047
 * decoder lives in a transitive dependency, so the list is built here.
 */

/** One header as received: lower-case name, value unfolded and RFC 2047 decoded. */
export interface HeaderLine {
  name: string;
  value: string;
}

/** A raw header line as mailparser reports it: a byte-per-char (latin1) string. */
interface RawHeaderLine {
  key: string;
  line: string;
}

// Payload is printable ASCII without '?' or space, as RFC 2047 requires;
// anything looser would swallow ordinary text that happens to contain "=?".
// Used only via matchAll, which iterates a copy, so lastIndex is never shared.
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([\x21-\x3e\x40-\x7e]*)\?=/g;

// RFC 5322 field name: printable ASCII except the colon.
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

// The fallback scan never reads further than this into a message it could not
// parse, so a huge or hostile header block costs a bounded amount of work.
const SCAN_LIMIT = 64 * 1024;

/** Consecutive encoded words in one charset, decoded together. */
interface EncodedRun {
  charset: string;
  bytes: Buffer[];
  words: string[];
}

function wordBytes(encoding: string, payload: string): Buffer {
  if (encoding === 'B' || encoding === 'b') {
    return Buffer.from(payload, 'base64');
  }
  const latin1 = payload
    .replace(/_/g, ' ')
    .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1');
}

// The bytes of a run are joined before decoding because some senders split a
// multi-byte character across two encoded words.
function decodeRun(run: EncodedRun | null): string {
  if (run === null) {
    return '';
  }
  try {
    return new TextDecoder(run.charset).decode(Buffer.concat(run.bytes));
  } catch {
    // An unknown charset (or UTF-7, which TextDecoder refuses and which could
    // smuggle markup) stays as the sender wrote it rather than as a guess.
    return run.words.join(' ');
  }
}

/** Decodes the RFC 2047 encoded words in a header value; other text is kept as is. */
function decodeEncodedWords(value: string): string {
  let out = '';
  let run: EncodedRun | null = null;
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, label = '', encoding = '', payload = ''] = match;
    const gap = value.slice(last, match.index);
    // RFC 2047 §6.2: whitespace between two encoded words is not displayed.
    if (run === null || gap.trim() !== '') {
      out += decodeRun(run) + gap;
      run = null;
    }
    // A language suffix (RFC 2231 "utf-8*de") is not part of the charset label.
    const charset = (label.split('*')[0] ?? '').toLowerCase();
    const bytes = wordBytes(encoding, payload);
    if (run !== null && run.charset === charset) {
      run.bytes.push(bytes);
      run.words.push(word);
    } else {
      out += decodeRun(run);
      run = { charset, bytes: [bytes], words: [word] };
    }
    last = match.index + word.length;
  }
  return out + decodeRun(run) + value.slice(last);
}

// Header bytes arrive as one char per byte; raw 8-bit header text is UTF-8
// by RFC 6532, which is also how mailparser reads it.
function headerValue(line: string): string {
  const unfolded = line.slice(line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '');
  return decodeEncodedWords(Buffer.from(unfolded, 'latin1').toString('utf8')).trim();
}

/** The decoded header list, and how many lines were dropped for lacking a valid name. */
export interface HeaderList {
  headers: HeaderLine[];
  skipped: number;
}

/** Turns mailparser's raw header lines into decoded headers, keeping order and repeats. */
export function decodeHeaderLines(lines: readonly RawHeaderLine[]): HeaderList {
  const headers: HeaderLine[] = [];
  let skipped = 0;
  for (const { key, line } of lines) {
    if (FIELD_NAME.test(key)) {
      headers.push({ name: key, value: headerValue(line) });
    } else if (line.trim() !== '') {
      skipped += 1;
    }
  }
  return { headers, skipped };
}

/**
 * Finds the Subject in the first header block of bytes the parser rejected,
 * reading at most the first 64 KiB. Returns '' when there is none.
 */
export function scanSubject(raw: Buffer): string {
  const head = raw.subarray(0, SCAN_LIMIT).toString('latin1').split(/\r?\n\r?\n/, 1)[0] ?? '';
  const logicalLines = head.split(/\r?\n(?![ \t])/);
  const subject = logicalLines.find((line) => /^subject[ \t]*:/i.test(line));
  return subject === undefined ? '' : headerValue(subject);
}
