/**
 * The bytes Ephemail's readers parse: the message as received, repaired
 * where mailparser and mailsplit would lose text a mail client shows.
 * Python's email package, the reference of test/differential/, reads a
 * header block up to its first line that is not a header field, where the
 * body then starts, and a Content-Type that names no type/subtype as
 * text/plain (RFC 2045 §5.2). mailsplit instead reads every line up to an
 * empty one as a header, so a message without the empty line, or without
 * headers at all, lost the start of its body; and it files a part of type
 * `text` as an attachment. Both readers (parse.ts and the lean digest) read
 * this copy, so they agree on it; the raw message is kept unchanged.
 *
 * The repairs: an empty line put in front of the line that ends a header
 * block; the type of a Content-Type without type/subtype written as
 * text/plain, its parameters kept; and a message that is itself one
 * enclosed message (message/rfc822 at the top, as GroupWise forwards) marked
 * inline, so that it is shown rather than offered as a nameless attachment.
 * Only header blocks found the way mailsplit finds them are repaired (the
 * message's own, and each part's after a delimiter line of an enclosing
 * multipart); those inside an enclosed message are left as they are.
 */
import libmime from 'libmime';

/** The bytes to parse, and what was repaired in them. */
export interface ReadingCopy {
  /** The message with its repairs: `raw` itself when it needed none. */
  bytes: Buffer;
  /** The message's own header block as received, unrepaired, for the header list. */
  header: Buffer;
  /** Header blocks of one line or more that ended at a line that is not a header field rather than at an empty line. */
  unseparated: number;
  /** Content-Type values that name no type/subtype, read as text/plain. */
  untyped: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const NEWLINE_DASHES = Buffer.from('\n--');
// mailsplit refuses a message of more MIME parts than this, and the parse fails: past it nothing is
// read, and the work on boundaries, each closing delimiter a pass over those still open, stays bounded.
const MAX_HEADER_BLOCKS = 1000;
// Python's feedparser takes an mbox envelope line for part of the header block.
const ENVELOPE = Buffer.from('From ');
// mailsplit takes a line for a delimiter only with at most this much SP and HTAB behind the boundary.
const DELIMITER_TRAILING_BLANKS = 998;

/** A header field of the block being read: where it starts and where its name ends. */
interface Field {
  start: number;
  colon: number;
}

/** Replaces raw[start, end) with `text` in the copy. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A delimiter line of an open multipart: how deep its boundary is, and whether it closes it. */
interface Delimiter {
  depth: number;
  closing: boolean;
}

/** The bytes Ephemail's parsers read for `raw`, and what was repaired; linear in its size. */
export function readingCopy(raw: Buffer): ReadingCopy {
  const edits: Edit[] = [];
  const boundaries = createBoundaryStack();
  let fields: Field[] = [];
  // Where the header block being read starts; null while in a body.
  let blockStart: number | null = 0;
  let headerEnd = -1;
  let blocks = 1;
  let unseparated = 0;
  let untyped = 0;

  // `end` is where the block's last field ends: the start of the line after it.
  const endBlock = (end: number): void => {
    const block = readBlock(raw, fields, end);
    fields = [];
    blockStart = null;
    if (block.untypedValue !== null) {
      untyped += 1;
      edits.push({ ...block.untypedValue, text: ' text/plain' });
    }
    if (block.boundary !== null) boundaries.open(block.boundary);
    if (headerEnd < 0) {
      headerEnd = end;
      // A message that is itself one enclosed message (GroupWise forwards so) is that
      // message, shown as mailparser shows an enclosed one marked inline.
      if (block.type === 'message/rfc822' && !block.disposed) edits.push({ start: end, end, text: 'Content-Disposition: inline\r\n' });
    }
  };

  for (let start = 0; start < raw.length;) {
    if (blockStart === null && !(raw[start] === HYPHEN && raw[start + 1] === HYPHEN)) {
      // In a body only a delimiter line starts another header block: skip to the next that could be one.
      const candidate = boundaries.isEmpty() ? -1 : raw.indexOf(NEWLINE_DASHES, start);
      if (candidate < 0) break;
      start = candidate + 1;
    }
    const newline = raw.indexOf(LF, start);
    const next = newline < 0 ? raw.length : newline + 1;
    const delimiter = boundaries.delimiterAt(raw, start, next);
    if (delimiter !== null) {
      if (blockStart !== null) endBlock(start);
      boundaries.closeTo(delimiter.closing ? delimiter.depth : delimiter.depth + 1);
      if (!delimiter.closing) {
        blocks += 1;
        if (blocks > MAX_HEADER_BLOCKS) break;
        blockStart = next;
      }
    } else if (blockStart !== null) {
      const kind = headerLineKind(raw, start, next);
      if (kind === 'empty') {
        endBlock(start);
      } else if (kind === 'body') {
        // A block of no lines is no header block at all: the message or part is all body.
        if (start > blockStart) unseparated += 1;
        endBlock(start);
        // The line starts the body, as in Python; mailsplit needs an empty line to see it.
        edits.push({ start, end: start, text: raw[next - 2] === CR || newline < 0 ? '\r\n' : '\n' });
      } else if (kind === 'field') {
        fields.push({ start, colon: raw.indexOf(COLON, start) });
      }
    }
    start = next;
  }
  if (blockStart !== null) endBlock(raw.length);
  return { bytes: applyEdits(raw, edits), header: raw.subarray(0, Math.max(headerEnd, 0)), unseparated, untyped };
}

/** A line of a header block: the empty line that ends it, a field, another header line (a continuation or an mbox envelope line), or the first line of the body. */
type LineKind = 'empty' | 'field' | 'other' | 'body';

// Python's headerRE, with blanks allowed before the colon as RFC 5322's
// obsolete syntax has them and mailparser reads them: a field name of
// printable ASCII (empty too), a continuation, or an mbox envelope line.
function headerLineKind(raw: Buffer, start: number, next: number): LineKind {
  const length = next - start;
  if ((length === 1 && raw[start] === LF) || (length === 2 && raw[start] === CR && raw[start + 1] === LF)) return 'empty';
  if (raw[start] === SP || raw[start] === HT) return 'other';
  if (raw.subarray(start, start + ENVELOPE.length).equals(ENVELOPE)) return 'other';
  let at = start;
  while (at < next && (raw[at] as number) > SP && (raw[at] as number) < 0x7f && raw[at] !== COLON) at++;
  while (at < next && (raw[at] === SP || raw[at] === HT)) at++;
  return at < next && raw[at] === COLON ? 'field' : 'body';
}

/** What a header block says of its part, as mailsplit reads it. */
interface Block {
  /** The type of its first Content-Type, lower case; '' without one. */
  type: string;
  /** Where that Content-Type's type is written, when it names no type/subtype. */
  untypedValue: { start: number; end: number } | null;
  /** The boundary of a multipart. */
  boundary: string | null;
  /** Whether it has a Content-Disposition. */
  disposed: boolean;
}

function readBlock(raw: Buffer, fields: readonly Field[], blockEnd: number): Block {
  const names = fields.map(({ start, colon }) => raw.toString('latin1', start, colon).trim().toLowerCase());
  const disposed = names.includes('content-disposition');
  const index = names.indexOf('content-type');
  const field = fields[index];
  if (field === undefined) return { type: '', untypedValue: null, boundary: null, disposed };
  const fieldEnd = trimLineEnd(raw, field.start, fields[index + 1]?.start ?? blockEnd);
  const value = raw.toString('latin1', field.colon + 1, fieldEnd).replace(/\r?\n(?=[ \t])/g, '');
  const parsed = libmime.parseHeaderValue(value, { stripComments: true });
  const type = parsed.value.trim().toLowerCase();
  // Python's rule: anything but exactly one slash is text/plain.
  if (type.split('/').length !== 2) {
    const semicolon = raw.subarray(field.colon, fieldEnd).indexOf(';');
    return { type: 'text/plain', untypedValue: { start: field.colon + 1, end: semicolon < 0 ? fieldEnd : field.colon + semicolon }, boundary: null, disposed };
  }
  // As mailsplit takes a boundary: without trailing blanks, and ASCII only.
  const boundary = (parsed.params.boundary ?? '').trimEnd();
  const usable = type.startsWith('multipart/') && boundary !== '' && Buffer.byteLength(boundary) === boundary.length;
  return { type, untypedValue: null, boundary: usable ? boundary : null, disposed };
}

function trimLineEnd(raw: Buffer, start: number, end: number): number {
  let trimmed = end;
  while (trimmed > start && (raw[trimmed - 1] === LF || raw[trimmed - 1] === CR)) trimmed--;
  return trimmed;
}

/** The open multipart boundaries, innermost last, and the delimiter lines they make. */
function createBoundaryStack() {
  const open: string[] = [];
  // Each boundary's innermost depth: mailsplit matches a node's own boundary before its ancestors'.
  let depths = new Map<string, number>();
  // Their lengths, so that a line of another length is passed over without being read.
  let lengths = new Set<number>();
  return {
    isEmpty: (): boolean => open.length === 0,
    open(boundary: string): void {
      open.push(boundary);
      depths.set(boundary, open.length - 1);
      lengths.add(boundary.length);
    },
    /** Keeps the outermost `depth` boundaries open. */
    closeTo(depth: number): void {
      if (depth >= open.length) return;
      open.length = depth;
      depths = new Map(open.map((boundary, at) => [boundary, at]));
      lengths = new Set(open.map((boundary) => boundary.length));
    },
    /** The delimiter the line raw[start, next) is, if any: `--boundary` or `--boundary--`, blanks after it allowed. */
    delimiterAt(raw: Buffer, start: number, next: number): Delimiter | null {
      if (open.length === 0 || raw[start] !== HYPHEN || raw[start + 1] !== HYPHEN) return null;
      const end = trimLineEnd(raw, start, next);
      let text = end;
      while (text > start + 2 && (raw[text - 1] === SP || raw[text - 1] === HT)) text--;
      const length = text - start - 2;
      if (end - text > DELIMITER_TRAILING_BLANKS || !(lengths.has(length) || lengths.has(length - 2))) return null;
      const token = raw.toString('latin1', start + 2, text);
      const opening = depths.get(token);
      const closing = token.endsWith('--') ? depths.get(token.slice(0, -2)) : undefined;
      if (closing !== undefined && (opening === undefined || closing > opening)) return { depth: closing, closing: true };
      return opening === undefined ? null : { depth: opening, closing: false };
    },
  };
}

function applyEdits(raw: Buffer, edits: readonly Edit[]): Buffer {
  if (edits.length === 0) return raw;
  const pieces: Buffer[] = [];
  let from = 0;
  // Edits are made in the order of the bytes they replace.
  for (const { start, end, text } of edits) {
    pieces.push(raw.subarray(from, start), Buffer.from(text, 'latin1'));
    from = end;
  }
  pieces.push(raw.subarray(from));
  return Buffer.concat(pieces);
}
