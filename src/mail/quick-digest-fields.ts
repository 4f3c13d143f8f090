/**
 * The header block of one MIME node, read for the intake digest as mailsplit
 * (mailparser's splitter) reads it: fields in order with their folding kept,
 * and the Content-Type, Content-Disposition and Content-Transfer-Encoding
 * that decide how the node is split, classified and decoded.
 */
import { posix } from 'node:path';
import { decodeWord, decodeWords } from './quick-digest-words.js';

/** One header field as received: lower-case name, and the whole field (name, colon, folds) one char per byte. */
export interface HeaderField {
  key: string;
  line: string;
}

/** What mailsplit reads from a node's header block. */
export interface NodeHeaders {
  /** Lower-case type without parameters; false when the header is there but empty. */
  contentType: string | false;
  charset: string | false;
  /** Lower-case Content-Transfer-Encoding, '' when there is none. */
  encoding: string;
  /** Lower-case disposition type, encoded words decoded; false when there is none. */
  disposition: string | false;
  /** RFC 3676 format=flowed text/plain, and whether its soft breaks carry a space to delete. */
  flowed: boolean;
  delSp: boolean;
  /** The delimiter of the parts within, when the Content-Type names an ASCII boundary. */
  boundary: Buffer | null;
  /** A multipart type with a subtype: its body is a preamble and parts, not content. */
  multipart: boolean;
}

interface StructuredValue {
  value: string;
  params: Map<string, string>;
}

// What the default Content-Type is, when there is none, for a filename's
// extension: only the types that make a node text, a container or a
// multipart matter; libmime's table maps every other extension to a type
// that makes the node an attachment.
const TYPE_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ...['acgi', 'htm', 'html', 'htmls', 'htx', 'shtml', 'stm'].map((extension): [string, string] => [extension, 'text/html']),
  ...['bas', 'c', 'c++', 'cc', 'conf', 'cxx', 'def', 'f', 'f90', 'for', 'g', 'h', 'hh', 'idc', 'jav', 'java', 'list', 'log', 'lst', 'm', 'mar', 'pl', 'sdml', 'txt']
    .map((extension): [string, string] => [extension, 'text/plain']),
  ...['eml', 'mht', 'mhtml', 'nws'].map((extension): [string, string] => [extension, 'message/rfc822']),
  ['gzip', 'multipart/x-gzip'],
]);

const isFoldingChar = (chr: string): boolean => chr === ' ' || chr === '\t';
const isBlank = (chr: string): boolean => chr === ' ' || chr === '\t' || chr === '\r' || chr === '\n' || chr === '\f' || chr === '\v';

/**
 * Splits a header block (one char per byte) into fields. A first line that
 * is an mbox "From " or HTTP "POST " line is no field. A line without a colon
 * takes its name from the first colon of a continuation line, if any.
 */
export function splitFields(block: string): HeaderField[] {
  let end = block.length;
  while (end > 0 && (block.charCodeAt(end - 1) === 0x0a || block.charCodeAt(end - 1) === 0x0d)) end -= 1;
  const lines = block.slice(0, end).split(/\r?\n/);
  let first = lines[0] ?? '';
  let index = 1;
  while (index < lines.length && isFoldingChar((lines[index] ?? '').charAt(0))) first += `\r\n${lines[index++]}`;
  const fields: HeaderField[] = /^(?:From|POST) /i.test(first) ? [] : [{ key: keyBefore(first, first.indexOf(':')), line: first }];
  let keyPending = false;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const last = fields.at(-1);
    if (isFoldingChar(line.charAt(0)) && last !== undefined) {
      const colon = line.indexOf(':');
      if (keyPending && colon >= 0) {
        last.key = keyBefore(`${last.line}\r\n${line}`, last.line.length + 2 + colon);
        keyPending = false;
      }
      last.line += `\r\n${line}`;
    } else {
      const colon = line.indexOf(':');
      fields.push({ key: keyBefore(line, colon), line });
      keyPending = colon < 0;
    }
  }
  return fields;
}

function keyBefore(line: string, colon: number): string {
  return colon < 0 ? '' : line.slice(0, colon).toLowerCase().trim();
}

/** The unfolded value of a field as libmime's decodeHeader gives it: '' when the line has no name and colon. */
export function fieldValue(line: string): string {
  const match = /^\s*([^:]+):(.*)$/.exec(line.replace(/(?:\r?\n|\r)[ \t]*/g, ' ').trim());
  return (match?.[2] ?? '').trim();
}

/** The values of every field named `key`, as mailparser reads the headers it reports: unfolded, then UTF-8. */
export function fieldValues(fields: readonly HeaderField[], key: string): string[] {
  return fields.filter((field) => field.key === key).map((field) => Buffer.from(fieldValue(field.line), 'latin1').toString('utf8'));
}

// mailsplit reads its own fields as UTF-8 unless that produces U+FFFD.
function firstValue(fields: readonly HeaderField[], key: string): string {
  const field = fields.find((candidate) => candidate.key === key);
  if (field === undefined) return '';
  const utf8 = Buffer.from(field.line, 'latin1').toString('utf8');
  return fieldValue(utf8.includes('\ufffd') ? field.line : utf8);
}

/** Reads the MIME fields of a node's header block as mailsplit does. */
export function describeNode(fields: readonly HeaderField[]): NodeHeaders {
  const disposition = parseStructured(firstValue(fields, 'content-disposition'));
  const hasType = fields.some((field) => field.key === 'content-type');
  const type = parseStructured(hasType ? firstValue(fields, 'content-type') : defaultType(disposition));
  const contentType = type.value.toLowerCase().trim() || false;
  const dispositionType = disposition.value.toLowerCase().trim();
  const format = (name: string): string => (type.params.get(name) ?? '').toLowerCase().trim();
  const flowed = contentType === 'text/plain' && format('format') === 'flowed';
  // A boundary is ASCII (RFC 2046); one that is not matches no delimiter line.
  const boundary = (type.params.get('boundary') ?? '').trimEnd();
  const slash = contentType === false ? -1 : contentType.indexOf('/');
  return {
    contentType,
    charset: type.params.get('charset') || false,
    encoding: stripComments(firstValue(fields, 'content-transfer-encoding')).toLowerCase().trim(),
    disposition: dispositionType === '' ? false : decodeWords(dispositionType),
    flowed,
    delSp: flowed && format('delsp') === 'yes',
    boundary: boundary !== '' && Buffer.byteLength(boundary) === boundary.length ? Buffer.from(boundary) : null,
    multipart: contentType !== false && slash > 0 && contentType.slice(0, slash) === 'multipart' && slash < contentType.length - 1,
  };
}

// Without a Content-Type: the type of the filename's extension, else
// octet-stream for an attachment and plain text for anything else.
function defaultType(disposition: StructuredValue): string {
  const filename = disposition.params.get('filename');
  const extension = filename ? posix.parse(filename).ext.replace(/^\./, '') : '';
  if (extension !== '') {
    const last = extension.toLowerCase().replace(/\s/g, '').replace(/^\./g, '').split('.').pop() ?? '';
    return TYPE_BY_EXTENSION.get(last) ?? 'application/octet-stream';
  }
  return /^attachment$/i.test(disposition.value) ? 'application/octet-stream' : 'text/plain';
}

// Removes everything from the first "(" to the last ")" of each line; the
// Content-Transfer-Encoding is a bare token, so that is all its comments need.
function stripComments(value: string): string {
  if (!value.includes('(')) return value;
  return value.split(/([\n\r\u2028\u2029])/).map((part) => {
    const start = part.indexOf('(');
    const end = part.lastIndexOf(')');
    return start >= 0 && end > start ? part.slice(0, start) + part.slice(end + 1) : part;
  }).join('');
}

// Offset of the ")" closing the comment opened at `start`, or -1; comments nest and "\" escapes.
function commentEnd(text: string, start: number): number {
  let depth = 0;
  for (let at = start; at < text.length; at += 1) {
    const chr = text.charAt(at);
    if (chr === '\\') at += 1;
    else if (chr === '(') depth += 1;
    else if (chr === ')' && --depth === 0) return at;
  }
  return -1;
}

/**
 * A structured header value ("type/sub; name=value; ...") as libmime's
 * parseHeaderValue reads it with comments stripped: the first of a repeated
 * parameter wins, quoted strings keep their blanks, and RFC 2231 continued
 * or charset-tagged parameters are assembled and decoded.
 */
function parseStructured(text: string): StructuredValue {
  const params = new Map<string, string>();
  let main = '';
  let key: string | null = null;
  let inKey = false;
  let value = '';
  let valueEnd = 0;
  let quote = false;
  let quoteClosed = false;
  let escaped = false;
  // A "(" right after "=" or inside a token continues the token ("Invoice(1).pdf").
  let tokenOpen = false;
  let stripping = true;
  const commit = (): void => {
    const collected = value.slice(0, valueEnd);
    value = '';
    valueEnd = 0;
    if (inKey) {
      const name = collected.toLowerCase();
      if (name !== '' && !params.has(name)) params.set(name, '');
    } else if (key === null) {
      main = collected;
    } else if (!params.has(key)) {
      params.set(key, collected);
    }
  };
  for (let at = 0; at < text.length; at += 1) {
    const chr = text.charAt(at);
    if (stripping && chr === '(' && !quote && !escaped && !tokenOpen) {
      let end = commentEnd(text, at);
      // An unclosed comment runs to the end, unless a parameter follows it.
      if (end < 0 && !text.includes(';', at)) end = text.length - 1;
      if (end >= 0) {
        at = end;
        continue;
      }
      stripping = false;
    }
    if (inKey) {
      if (chr === '=') {
        key = value.slice(0, valueEnd).toLowerCase();
        value = '';
        valueEnd = 0;
        inKey = false;
        tokenOpen = true;
      } else if (chr === ';') {
        commit();
      } else if (!isBlank(chr) || value.length > 0) {
        value += chr;
        if (!isBlank(chr)) valueEnd = value.length;
      }
      continue;
    }
    if (quoteClosed && chr !== ';') {
      // A parameter is a token or a quoted string; what follows a quoted string is junk.
      escaped = false;
      continue;
    }
    if (escaped) {
      value += chr;
      valueEnd = value.length;
      tokenOpen = key !== null && !quote;
    } else if (chr === '\\') {
      escaped = true;
      continue;
    } else if (chr === '"') {
      quoteClosed = quote;
      quote = !quote;
      tokenOpen = false;
    } else if (!quote && chr === ';') {
      commit();
      inKey = true;
      tokenOpen = false;
      quoteClosed = false;
    } else if (!quote && isBlank(chr)) {
      if (value.length > 0) value += chr;
      tokenOpen = false;
    } else {
      value += chr;
      valueEnd = value.length;
      tokenOpen = key !== null && !quote;
    }
    escaped = false;
  }
  commit();
  assembleContinuations(params);
  return { value: main, params };
}

// RFC 2231: "name*0", "name*1*", "name*" segments are joined in order and
// decoded, and the result replaces a plain "name" given alongside.
function assembleContinuations(params: Map<string, string>): void {
  const continuations = new Map<string, { charset: string | null; values: Array<{ nr: number; value: string }> }>();
  for (const [key, raw] of [...params]) {
    const match = /\*((\d+)\*?)?$/.exec(key);
    if (match === null) continue;
    params.delete(key);
    const name = key.slice(0, match.index);
    const nr = Number(match[2]) || 0;
    const continuation = continuations.get(name) ?? { charset: null, values: [] };
    continuations.set(name, continuation);
    const tagged = nr === 0 && match[0].endsWith('*') ? /^([^']*)'[^']*'(.*)$/.exec(raw) : null;
    if (tagged !== null) continuation.charset = tagged[1] || 'utf-8';
    continuation.values.push({ nr, value: tagged === null ? raw : tagged[2] ?? '' });
  }
  for (const [name, { charset, values }] of continuations) {
    const joined = values.sort((a, b) => a.nr - b.nr).map((entry) => entry.value).join('');
    if (charset === null) {
      params.set(name, decodeWords(joined));
      continue;
    }
    // Percent-encoding read as quoted-printable, literal "=", "_" and blanks escaped first.
    const escapedText = joined.replace(/[=_\s]/g, (chr) => (chr === ' ' ? '_' : `%${chr.charCodeAt(0).toString(16).padStart(2, '0')}`));
    params.set(name, decodeWord(charset, 'Q', escapedText.replace(/%/g, '=')));
  }
}
