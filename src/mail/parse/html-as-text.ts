/**
 * HTML read as text with mailparser's converter (html-to-text), for mail
 * whose only text would come from its HTML: the full parse (parse.ts) and
 * the lean digest (src/mail/read/) both derive it here, from the same start
 * of the HTML, so they derive the same text. Only as much HTML is converted,
 * and only as deep, as a parse worker can afford.
 */
import { compile } from 'html-to-text';

/**
 * Text is derived from at most this many characters of HTML. html-to-text
 * builds a tree of the whole input: in a parse worker (128 MB heap, 8 MB
 * young generation) the densest markup measured, `<p>a` over and over, took
 * 0.36 s and 52 MB of heap at this size, 0.7 s and 85 MB at twice it, and ran
 * out of heap before 1 MiB (BENCHMARKS.md, "Parse and digest cost by input
 * size").
 */
export const HTML_CONVERTED_CHARACTERS = 256 * 1024;

/** Text derived from HTML, or why none was. */
export interface HtmlAsText {
  text: string;
  /** Why the HTML gave no text, as a sentence for the reader; null when it was converted. */
  refusal: string | null;
}

// mailparser's bound on HTML nesting. htmlparser2's parse is quadratic in
// the depth and html-to-text's walk recursive, so deeper HTML gets no text.
const MAX_HTML_NESTING = 1000;
// html-to-text goes over all the text inside a quote (to prefix its lines),
// a list (to indent them), a link or a heading (each word through a
// transform) once more for each of them it is nested in, and nested quotes
// and lists also lengthen every line: the work on a character nested in k of
// them grows as k². Unbounded, 32 KiB of 990 nested quotes took 38 s. At
// this much work the worst shape measured, 128 KiB of `<p>a` in 8 nested
// quotes, converts in about half a second (BENCHMARKS.md, "Parse and digest
// cost by input size"); a reply quoted 10 deep throughout may be 80 KB long.
const MAX_NESTED_WORK = 8 * 1024 * 1024;
const REWORKING_ELEMENTS = new Set(['blockquote', 'ol', 'ul', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const TOO_DEEP = `The HTML is nested deeper than ${MAX_HTML_NESTING} levels, too deep to be turned into plain text (the raw message has all of it).`;
const TOO_MUCH_WORK = 'The HTML nests quotes, lists, links or headings so deeply that turning it into plain text would take too long, so it has none (the raw message has all of it).';
const convertHtml = compile({ limits: { maxDepth: MAX_HTML_NESTING } });

/** The text of HTML as mailparser derives it, unless its nesting makes that too costly (then '' and why). */
export function htmlAsText(html: string): HtmlAsText {
  const refusal = nestingRefusal(html);
  if (refusal !== null) return { text: '', refusal };
  try {
    return { text: convertHtml(html), refusal: null };
  } catch (error) {
    return { text: '', refusal: `The HTML body could not be turned into plain text (${error instanceof Error ? error.message : String(error)}).` };
  }
}

// mailparser's nesting guard (exceedsHtmlNestingDepth in mail-parser.js),
// which it does not export, in one linear pass following what htmlparser2
// builds: a start tag opens an element, an end tag closes down to the
// nearest open one of its name and is ignored otherwise; void elements and
// those a sibling closes implicitly add no depth; comments are skipped. The
// same pass weighs each character by the reworking elements open around it.
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const IMPLIED_END_ELEMENTS = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

function isTagNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a || code === 0x5f;
}

/** Open elements as htmlparser2 keeps them, and how many of them rework their content. */
class OpenElements {
  private readonly stack: string[] = [];
  private readonly open = new Map<string, number>();
  reworking = 0;

  get depth(): number {
    return this.stack.length;
  }

  push(name: string): void {
    this.stack.push(name);
    this.open.set(name, (this.open.get(name) ?? 0) + 1);
    if (REWORKING_ELEMENTS.has(name)) this.reworking += 1;
  }

  /** Closes down to the nearest open element of this name, if there is one. */
  close(name: string): void {
    if (!this.open.get(name)) return;
    let popped: string | undefined;
    do {
      popped = this.stack.pop();
      if (popped === undefined) return;
      this.open.set(popped, (this.open.get(popped) ?? 1) - 1);
      if (REWORKING_ELEMENTS.has(popped)) this.reworking -= 1;
    } while (popped !== name);
  }
}

function nestingRefusal(html: string): string | null {
  const elements = new OpenElements();
  let work = 0;
  let weighedTo = 0;
  // Everything from the last tag weighed up to `to` lies within the elements open now.
  const weigh = (to: number): boolean => {
    work += (to - weighedTo) * elements.reworking ** 2;
    weighedTo = to;
    return work > MAX_NESTED_WORK;
  };
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
    if (weigh(at)) return TOO_MUCH_WORK;
    if (!VOID_ELEMENTS.has(name) && !IMPLIED_END_ELEMENTS.has(name)) {
      if (closing) elements.close(name);
      else elements.push(name);
      if (elements.depth > MAX_HTML_NESTING) return TOO_DEEP;
    }
    at = html.indexOf('<', end + 1);
  }
  return weigh(html.length) ? TOO_MUCH_WORK : null;
}
