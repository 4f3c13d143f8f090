/**
 * Reading HTML mail as text, for the code and link finders, with htmlparser2's
 * streaming, forgiving tokenizer: tags and entity-decoded text in document
 * order, and no tree. (sanitize-html, which wraps the same parser, served
 * here until 2026-11; test/mail/html-walk.test.ts checks that the walk is
 * the same as it gave, event for event.)
 */
import { Parser } from 'htmlparser2';

/** Callbacks for `walkHtml`; each is called in document order. */
export interface HtmlHandlers {
  /** An opening tag (lower-case name), with its attributes entity-decoded. */
  onOpen?: (tag: string, attribs: Record<string, string>) => void;
  /** A closing tag, whether written or implied by the markup around it. */
  onClose?: (tag: string) => void;
  /** Visible text, entity-decoded. May arrive in several pieces. */
  onText?: (text: string) => void;
}

// Only the start of a message is read: verification mail puts what matters
// near the top, and this bounds the work a hostile sender can cause.
// Exported so the lean digest knows how far it must decode.
export const HTML_SCAN_LIMIT = 256 * 1024;

// The parser's cost grows with the square of nesting depth (it keeps its open
// tags in an array it shifts), so markup nested deeper than this is cut off.
// Real mail stays far below it even when it never closes its tags.
const MAX_OPEN_TAGS = 1000;
const TAG_START = /<(\/?)([a-z][a-z0-9]*)/gi;
// Elements that never have a closing tag, so they add no depth.
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

// Tags whose content is not text a reader sees. Tags inside them are still
// reported, but no text until the one that hid it is closed.
const INVISIBLE = new Set(['script', 'style', 'xmp', 'textarea', 'option', 'noscript', 'title', 'template']);

// Tags after which a reader sees a new line. Table cells count: mail lays out
// "label | value" in cells, and the value reads best on a line of its own.
const LINE_BREAK_TAGS = new Set([
  'address', 'article', 'blockquote', 'br', 'center', 'dd', 'div', 'dl', 'dt', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul',
]);

// Characters some senders pad preheaders with; invisible, so dropped.
const INVISIBLE_CHARS = /[\u00ad\u034f\u200b-\u200d\u2060\ufeff]/g;
// Thrown through the parser to stop it once htmlToText has read enough.
const ENOUGH_TEXT = new Error('enough text');

/**
 * Walks the first 256 KiB of `html` (and no deeper than 1000 open tags),
 * calling the handlers. Never throws on malformed markup.
 */
export function walkHtml(html: string, handlers: HtmlHandlers): void {
  let hiddenDepth = 0;
  const parser = new Parser({
    onopentag: (tag, attribs) => {
      handlers.onOpen?.(tag, attribs);
      if (hiddenDepth > 0) hiddenDepth++;
      else if (INVISIBLE.has(tag)) hiddenDepth = 1;
    },
    onclosetag: (tag) => {
      handlers.onClose?.(tag);
      if (hiddenDepth > 0) hiddenDepth--;
    },
    ontext: (text) => {
      if (hiddenDepth === 0) handlers.onText?.(text);
    },
  }, { decodeEntities: true });
  parser.write(cutDeepNesting(html.slice(0, HTML_SCAN_LIMIT)));
  parser.end();
}

/**
 * The visible text of `html`: one line per block or table cell, runs of
 * blanks folded to one space, at most one empty line in a row. With
 * `maxChars`, reading stops once the text has that many characters, and the
 * result starts with the same `maxChars` characters as the whole text would.
 */
export function htmlToText(html: string, maxChars = Infinity): string {
  const parts: string[] = [];
  let read = 0;
  let nextCheck = maxChars;
  let folded: string | null = null;
  const lineBreak = (tag: string): void => {
    if (LINE_BREAK_TAGS.has(tag)) parts.push('\n');
  };
  // A void element is reported as opened and closed; one break is enough.
  const closeBreak = (tag: string): void => {
    if (!VOID_TAGS.has(tag)) lineBreak(tag);
  };
  // Folding only shortens the text, so it is checked when enough was read,
  // then after twice as much each time: linear however much folding removes.
  const onText = (text: string): void => {
    parts.push(text);
    read += text.length;
    if (read < nextCheck) return;
    folded = foldBlanks(parts.join(''));
    if (folded.length >= maxChars) throw ENOUGH_TEXT;
    nextCheck = read * 2;
  };
  try {
    walkHtml(html, { onOpen: lineBreak, onClose: closeBreak, onText });
  } catch (error) {
    // Folding a prefix of the parts gives a prefix of the folded whole: only
    // blanks at its end can differ, and trimming removes those.
    if (error === ENOUGH_TEXT && folded !== null) return folded;
    throw error;
  }
  return foldBlanks(parts.join(''));
}

// Counts tags roughly (a "<div" inside a comment counts too), which only ever
// cuts earlier than needed.
function cutDeepNesting(html: string): string {
  let open = 0;
  for (const match of html.matchAll(TAG_START)) {
    if (VOID_TAGS.has((match[2] ?? '').toLowerCase())) continue;
    open = match[1] === '/' ? Math.max(0, open - 1) : open + 1;
    if (open > MAX_OPEN_TAGS) return html.slice(0, match.index);
  }
  return html;
}

function foldBlanks(text: string): string {
  return text
    .replace(INVISIBLE_CHARS, '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
