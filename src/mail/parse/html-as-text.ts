/**
 * HTML read as text the way mailparser reads it, with its converter
 * (html-to-text) behind the same guards, and how much of it is converted:
 * the full parse (parse.ts) and the lean digest (src/mail/read/) both derive
 * text from HTML here, so they derive the same text.
 */
import { compile } from 'html-to-text';

/**
 * Text is derived from at most this many characters of HTML; mailparser is
 * told to convert no longer HTML (parse.ts). html-to-text builds a tree of
 * the whole input: in a parse worker (128 MB heap, 8 MB young generation)
 * the densest markup measured, `<p>a` over and over, took 0.36 s and 52 MB
 * of heap at this size, 0.7 s and 85 MB at twice it, and ran out of heap
 * before 1 MiB (BENCHMARKS.md, "Parse and digest cost by input size").
 */
export const HTML_CONVERTED_CHARACTERS = 256 * 1024;

// mailparser's bound on HTML nesting: deeper HTML gets no text at all.
const MAX_HTML_NESTING = 1000;
// The same limits as mailparser's call, compiled once.
const convertHtml = compile({ limits: { maxDepth: MAX_HTML_NESTING } });

/**
 * The text mailparser derives from HTML (for HTML-only mail, and HTML beside
 * text outside an alternative): '' when it refuses or fails to convert it.
 */
export function htmlAsText(html: string): string {
  if (nestsDeeperThan(html, MAX_HTML_NESTING)) return '';
  try {
    return convertHtml(html);
  } catch {
    return '';
  }
}

// mailparser's own guard, which it does not export (exceedsHtmlNestingDepth
// in mail-parser.js), line for line: one linear pass following what
// htmlparser2 builds. A start tag opens an element, an end tag closes down to
// the nearest open one of its name and is ignored otherwise; void elements
// and those a sibling closes implicitly add no depth; comments are skipped.
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const IMPLIED_END_ELEMENTS = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

function isTagNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a || code === 0x5f;
}

function nestsDeeperThan(html: string, maxDepth: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  for (let at = html.indexOf('<'); at >= 0;) {
    let position = at + 1;
    if (html.startsWith('!--', position)) {
      const end = html.indexOf('-->', position + 3);
      at = end < 0 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(position) === 0x2f;
    if (closing) position += 1;
    const nameStart = position;
    while (position < html.length && isTagNameChar(html.charCodeAt(position))) position += 1;
    if (position === nameStart) {
      at = html.indexOf('<', position);
      continue;
    }
    const name = html.slice(nameStart, position).toLowerCase();
    const end = html.indexOf('>', position);
    if (end < 0) break;
    if (!VOID_ELEMENTS.has(name) && !IMPLIED_END_ELEMENTS.has(name)) {
      if (!closing) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > maxDepth) return true;
      } else if (open.get(name)) {
        let popped: string | undefined;
        do {
          popped = stack.pop();
          if (popped !== undefined) open.set(popped, (open.get(popped) ?? 1) - 1);
        } while (popped !== undefined && popped !== name);
      }
    }
    at = html.indexOf('<', end + 1);
  }
  return false;
}
