/**
 * CSS sanitiser for mail. It keeps the author's styling and removes what can
 * run code (legacy expression(), behavior, -moz-binding), pull in more CSS
 * (@import) or reach the network without going through the url() rewriter.
 *
 * It works on tokens (see css-tokens.ts), never on regular
 * expressions over the text. What it cannot read with certainty (escapes
 * outside strings, broken strings or urls) is dropped, never guessed at, and
 * everything kept is written back out from tokens, so the output is plain,
 * balanced CSS that a browser tokenizes the same way.
 */

import { decodeCssEscapes, tokenize } from './css-tokens.js';
import type { Token } from './css-tokens.js';

/** The URL to write in place of a url() reference, or null to replace it with `none`. */
export type CssUrlRewriter = (url: string) => string | null;

interface Cursor {
  tokens: Token[];
  pos: number;
}

// Enough for real mail (@media inside @supports); deeper nesting is dropped
// so hostile input cannot exhaust the stack.
const MAX_RULE_DEPTH = 8;

const NESTED_RULE_AT_RULES = new Set(['media', 'supports', 'container', 'layer', 'keyframes']);
const DECLARATION_AT_RULES = new Set(['font-face', 'page']);

// expression() runs script in old IE; the others take URLs as bare strings,
// out of reach of the url() rewriter.
const FORBIDDEN_FUNCTIONS = new Set(['expression', 'image-set', 'image', 'cross-fade', 'element', 'src']);
const FORBIDDEN_PROPERTY = /behavior|binding/;
const FORBIDDEN_TEXT = ['javascript:', 'vbscript:', 'expression('];
const PROPERTY_NAME = /^-?[a-z][a-z0-9-]*$/;

/** Sanitises the text of a <style> element; the result is safe to put back inside one. */
export function sanitizeStylesheet(css: string, rewriteUrl: CssUrlRewriter): string {
  const cursor: Cursor = { tokens: tokenize(css), pos: 0 };
  // "<" only matters inside strings, where \3c means the same; escaped
  // everywhere, the text cannot contain "</style" and so cannot leave its element.
  return readRules(cursor, rewriteUrl, 0).replaceAll('<', '\\3c ');
}

/** Sanitises the value of a style attribute. */
export function sanitizeStyleAttribute(css: string, rewriteUrl: CssUrlRewriter): string {
  return sanitizeDeclarations(tokenize(css), rewriteUrl);
}

/** Rules up to the `}` closing the enclosing block (or the end at top level). */
function readRules(cursor: Cursor, rewriteUrl: CssUrlRewriter, depth: number): string {
  const out: string[] = [];
  for (;;) {
    // At top level a stray `}` belongs to the next prelude and spoils it, as in browsers.
    const prelude = readUntil(cursor, depth === 0 ? ['{', ';'] : ['{', ';', '}']);
    const stop = cursor.tokens[cursor.pos++];
    if (stop === undefined || stop.text === '}') return out.join('');
    // Statement at-rules (@import, @charset, @namespace) and junk end at `;` and go.
    if (stop.text === '{') out.push(readBlock(prelude, cursor, rewriteUrl, depth));
  }
}

function readBlock(prelude: Token[], cursor: Cursor, rewriteUrl: CssUrlRewriter, depth: number): string {
  const kind = blockKind(prelude);
  if (kind === 'skip' || (kind === 'rules' && depth >= MAX_RULE_DEPTH)) {
    takeBlock(cursor);
    return '';
  }
  const body =
    kind === 'rules'
      ? readRules(cursor, rewriteUrl, depth + 1)
      : sanitizeDeclarations(takeBlock(cursor), rewriteUrl);
  return body === '' ? '' : `${serialize(prelude).trim()}{${body}}`;
}

function blockKind(prelude: Token[]): 'rules' | 'declarations' | 'skip' {
  if (prelude.some((t) => t.kind === 'bad' || t.kind === 'url' || t.text === '}')) return 'skip';
  const first = prelude.find((t) => t.kind !== 'space');
  if (first?.kind !== 'at') return 'declarations';
  const name = unprefixed(first.text.slice(1).toLowerCase());
  if (NESTED_RULE_AT_RULES.has(name)) return 'rules';
  return DECLARATION_AT_RULES.has(name) ? 'declarations' : 'skip';
}

/** Tokens up to the next delimiter in `stops`, which is left unread. */
function readUntil(cursor: Cursor, stops: string[]): Token[] {
  const taken: Token[] = [];
  for (let t = cursor.tokens[cursor.pos]; t !== undefined; t = cursor.tokens[++cursor.pos]) {
    if (t.kind === 'delim' && stops.includes(t.text)) break;
    taken.push(t);
  }
  return taken;
}

/** The tokens of a block whose `{` was just read, consuming its closing `}`. */
function takeBlock(cursor: Cursor): Token[] {
  const taken: Token[] = [];
  let nesting = 0;
  for (let t = cursor.tokens[cursor.pos++]; t !== undefined; t = cursor.tokens[cursor.pos++]) {
    if (t.kind === 'delim' && t.text === '}') {
      if (nesting === 0) break;
      nesting--;
    }
    if (t.kind === 'delim' && t.text === '{') nesting++;
    taken.push(t);
  }
  return taken;
}

function sanitizeDeclarations(tokens: Token[], rewriteUrl: CssUrlRewriter): string {
  const kept: string[] = [];
  let nesting = 0;
  let start = 0;
  tokens.forEach((t, i) => {
    if (t.kind !== 'delim') return;
    if (t.text === '{') nesting++;
    if (t.text === '}') nesting--;
    if (t.text !== ';' || nesting !== 0) return;
    kept.push(sanitizeDeclaration(tokens.slice(start, i), rewriteUrl) ?? '');
    start = i + 1;
  });
  kept.push(sanitizeDeclaration(tokens.slice(start), rewriteUrl) ?? '');
  return kept.filter((d) => d !== '').join(';');
}

/** `name: value` with a plain property name and a harmless value, or null. */
function sanitizeDeclaration(tokens: Token[], rewriteUrl: CssUrlRewriter): string | null {
  const colon = tokens.findIndex((t) => t.kind === 'delim' && t.text === ':');
  const name = tokens.slice(0, Math.max(colon, 0)).filter((t) => t.kind !== 'space');
  const property = name.length === 1 && name[0]?.kind === 'ident' ? name[0].text.toLowerCase() : '';
  if (!PROPERTY_NAME.test(property) || FORBIDDEN_PROPERTY.test(property)) return null;
  const value = tokens.slice(colon + 1);
  if (!value.every(isAllowedInValue) || !isHarmlessText(value)) return null;
  const written = value.map((t) => (t.kind === 'url' ? writeUrl(rewriteUrl(t.text)) : t.text));
  const text = written.join('').trim();
  return text === '' ? null : `${property}:${text}`;
}

function isAllowedInValue(token: Token): boolean {
  switch (token.kind) {
    case 'bad':
    case 'at':
      return false;
    case 'delim':
      return token.text === ':';
    case 'function':
      return !FORBIDDEN_FUNCTIONS.has(unprefixed(token.text.slice(0, -1).toLowerCase()));
    default:
      return true;
  }
}

/** Checks the value as one piece, since `javascript:` spans an ident and a delim. */
function isHarmlessText(value: Token[]): boolean {
  const plain = value
    .map((t) => (t.kind === 'string' ? decodeCssEscapes(t.text) : t.kind === 'url' || t.kind === 'space' ? '' : t.text))
    .join('')
    .toLowerCase();
  return !FORBIDDEN_TEXT.some((needle) => plain.includes(needle));
}

function writeUrl(url: string | null): string {
  if (url === null) return 'none';
  return `url("${url.replace(/["\\\n\r\f<]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}")`;
}

function unprefixed(name: string): string {
  return name.replace(/^-[a-z]+-/, '');
}

function serialize(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('');
}
