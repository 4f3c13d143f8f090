/**
 * A small CSS tokenizer modelled on CSS Syntax Level 3, for the mail CSS
 * sanitiser. It sees strings, comments and url() the way a browser does, and
 * marks what it cannot read with certainty as `bad` (escapes outside strings,
 * unterminated strings, malformed url()) so the sanitiser can drop it.
 * Every step moves forward, so tokenizing is linear even on hostile input.
 */

/**
 * One token. For `url` the text is the decoded URL; for every other kind it
 * is the source text, written back unchanged.
 */
export interface Token {
  kind: 'ident' | 'function' | 'at' | 'string' | 'url' | 'space' | 'delim' | 'other' | 'bad';
  text: string;
}

const SPACE: Token = { kind: 'space', text: ' ' };
const BAD: Token = { kind: 'bad', text: '' };

const WHITESPACE = /[ \t\n\r\f]/;
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_\-\u0080-\uffff]/;
// Shared, as tokens are never modified: hostile CSS can be mostly braces.
const DELIMS = new Map<string, Token>([...'{};:'].map((c) => [c, { kind: 'delim', text: c }]));
// Characters that end a run of `other`: they may start a different token.
const RUN_BREAK = /[ \t\n\r\f{};:@"'\\/<A-Za-z_\-\u0080-\uffff]/;
const BAD_IN_UNQUOTED_URL = /["'(\\\u0000-\u0008\u000b\u000e-\u001f\u007f]/;
const CSS_ESCAPE = /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([\s\S]))/g;

/** Splits CSS into tokens; comments, whitespace runs and <!-- --> each become one space. */
export function tokenize(css: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < css.length) {
    const [token, next] = readToken(css, pos);
    tokens.push(token);
    pos = next;
  }
  return tokens;
}

function readToken(css: string, pos: number): [Token, number] {
  const c = css.charAt(pos);
  if (css.startsWith('/*', pos)) {
    const end = css.indexOf('*/', pos + 2);
    return [SPACE, end < 0 ? css.length : end + 2];
  }
  // Mail commonly wraps stylesheets in <!-- -->, which CSS ignores.
  if (css.startsWith('<!--', pos)) return [SPACE, pos + 4];
  if (css.startsWith('-->', pos)) return [SPACE, pos + 3];
  if (c === '"' || c === "'") return readString(css, pos);
  // An escape outside a string can spell anything: u\72l(x) is url(x).
  if (c === '\\') return [BAD, pos + 2];
  if (c === '@') {
    const end = identEnd(css, pos + 1);
    return [{ kind: 'at', text: css.slice(pos, end) }, end];
  }
  if (startsIdent(css, pos)) return readIdentLike(css, pos);
  if (WHITESPACE.test(c)) return [SPACE, skipSpace(css, pos)];
  const delim = DELIMS.get(c);
  if (delim !== undefined) return [delim, pos + 1];
  let end = pos + 1;
  while (end < css.length && !RUN_BREAK.test(css.charAt(end))) end++;
  return [{ kind: 'other', text: css.slice(pos, end) }, end];
}

function readIdentLike(css: string, pos: number): [Token, number] {
  const end = identEnd(css, pos);
  const name = css.slice(pos, end);
  if (css.charAt(end) !== '(') return [{ kind: 'ident', text: name }, end];
  if (name.toLowerCase() === 'url') return readUrl(css, end + 1);
  return [{ kind: 'function', text: `${name}(` }, end + 1];
}

/** A string token; unterminated strings are bad, so one cannot swallow what follows. */
function readString(css: string, pos: number): [Token, number] {
  const quote = css.charAt(pos);
  let end = pos + 1;
  while (end < css.length) {
    const c = css.charAt(end);
    if (c === quote) return [{ kind: 'string', text: css.slice(pos, end + 1) }, end + 1];
    if (c === '\n' || c === '\r' || c === '\f') return [BAD, end];
    end += c === '\\' ? 2 : 1;
  }
  return [BAD, css.length];
}

/** Reads after `url(`. Bad urls consume up to `)`, as browsers do. */
function readUrl(css: string, start: number): [Token, number] {
  const pos = skipSpace(css, start);
  const c = css.charAt(pos);
  if (c === '"' || c === "'") {
    const [string, next] = readString(css, pos);
    const close = skipSpace(css, next);
    if (string.kind === 'bad' || css.charAt(close) !== ')') return [BAD, close];
    return [{ kind: 'url', text: decodeCssEscapes(string.text.slice(1, -1)) }, close + 1];
  }
  let end = pos;
  while (end < css.length && !WHITESPACE.test(css.charAt(end)) && css.charAt(end) !== ')') end++;
  const close = skipSpace(css, end);
  const value = css.slice(pos, end);
  if (css.charAt(close) === ')' && !BAD_IN_UNQUOTED_URL.test(value)) {
    return [{ kind: 'url', text: value }, close + 1];
  }
  const remnant = css.indexOf(')', close);
  return [BAD, remnant < 0 ? css.length : remnant + 1];
}

function startsIdent(css: string, pos: number): boolean {
  const c = css.charAt(pos);
  if (c !== '-') return IDENT_START.test(c);
  const next = css.charAt(pos + 1);
  return next === '-' || IDENT_START.test(next);
}

function identEnd(css: string, pos: number): number {
  let end = pos;
  while (end < css.length && IDENT_CHAR.test(css.charAt(end))) end++;
  return end;
}

function skipSpace(css: string, pos: number): number {
  let end = pos;
  while (end < css.length && WHITESPACE.test(css.charAt(end))) end++;
  return end;
}

/** Resolves CSS escapes (`\26 ` or `\&`), as a browser does inside strings. */
export function decodeCssEscapes(text: string): string {
  return text.replace(CSS_ESCAPE, (_match, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char === '\n' ? '' : (char ?? '');
    const code = Number.parseInt(hex, 16);
    const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return String.fromCodePoint(valid ? code : 0xfffd);
  });
}
