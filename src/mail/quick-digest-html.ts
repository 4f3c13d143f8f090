/**
 * HTML read as text for the intake digest, for the messages whose text
 * mailparser derives from their HTML (HTML-only mail, or HTML beside text
 * outside an alternative). It is mailparser's own converter, html-to-text,
 * behind the same guard, so the preview shows what readers see as the text.
 * (src/mail/html-text.ts serves the code and link finders and reads HTML
 * differently: no link targets, no wrapping.)
 */
import { compile } from 'html-to-text';

// Deeper nesting than this is refused before conversion, as mailparser
// refuses it: parsing is quadratic in depth and the converter recurses.
const MAX_NESTING = 1000;
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// Closed implicitly by a sibling (li after li), so a run of them does not nest.
const IMPLIED_END_ELEMENTS = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

const convert = compile({ limits: { maxDepth: MAX_NESTING } });

/** The text mailparser derives from HTML; '' when it refuses or fails to convert it. */
export function htmlAsText(html: string): string {
  if (nestsDeeperThan(html, MAX_NESTING)) return '';
  try {
    return convert(html);
  } catch {
    return '';
  }
}

function isTagNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a || code === 0x5f;
}

// One linear pass following what htmlparser2 builds: a start tag opens an
// element, an end tag closes down to the nearest open one of its name and is
// ignored otherwise, comments are skipped.
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
