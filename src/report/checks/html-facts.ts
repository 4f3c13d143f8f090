/**
 * What the image and link checks need from the HTML, read in one bounded
 * pass: its images, its anchors and how much visible text it has.
 */
import { HTML_SCAN_LIMIT, walkHtml } from '../../mail/parse/html-text.js';
import type { Sentence } from '../sentences/sentence.js';
import { sentence } from '../sentences/sentences.js';

/** An `<img>` of the HTML. */
export interface HtmlImage {
  src: string;
  /** The alt attribute; null when there is none (an empty alt is a deliberate "decorative"). */
  alt: string | null;
  /** True for tracking pixels and spacers: a width or height of 0 or 1. */
  tiny: boolean;
}

/** An `<a href>` of the HTML. */
export interface HtmlAnchor {
  href: string;
  /** Its visible text, blanks folded (one may end it), cut to 256 characters. */
  text: string;
}

/** What one pass over the HTML found. */
export interface HtmlFacts {
  images: HtmlImage[];
  anchors: HtmlAnchor[];
  /** Characters of visible text, blanks not counted. */
  textCharacters: number;
  /** True when the HTML was longer or had more elements than one pass reads: the rest was not looked at. */
  cut: boolean;
}

/** Elements read before the pass stops; real newsletters have a few thousand. */
export const MAX_HTML_ELEMENTS = 10_000;
// Enough to hold any URL or domain a person would read as one.
const ANCHOR_TEXT_CHARACTERS = 256;
// Thrown through the parser to stop it once enough elements were read.
const ENOUGH_ELEMENTS = new Error('enough elements');
const BLANKS = /\s+/g;

/**
 * The images, anchors and visible text of the first 256 KiB of `html` (what
 * `walkHtml` reads) and of its first MAX_HTML_ELEMENTS elements. Never throws
 * on malformed markup.
 */
export function readHtmlFacts(html: string): HtmlFacts {
  const facts: HtmlFacts = { images: [], anchors: [], textCharacters: 0, cut: html.length > HTML_SCAN_LIMIT };
  let elements = 0;
  let anchor: HtmlAnchor | null = null;
  const onOpen = (tag: string, attribs: Record<string, string>): void => {
    if (++elements > MAX_HTML_ELEMENTS) throw ENOUGH_ELEMENTS;
    if (tag === 'img') facts.images.push(imageOf(attribs));
    if (tag === 'a') anchor = attribs.href === undefined ? null : addAnchor(facts, attribs.href);
  };
  const onText = (text: string): void => {
    facts.textCharacters += text.replace(BLANKS, '').length;
    if (anchor && anchor.text.length < ANCHOR_TEXT_CHARACTERS) {
      anchor.text = foldBlanks(anchor.text + text.slice(0, ANCHOR_TEXT_CHARACTERS)).slice(0, ANCHOR_TEXT_CHARACTERS);
    }
  };
  const onClose = (tag: string): void => {
    if (tag === 'a') anchor = null;
  };
  try {
    walkHtml(html, { onOpen, onText, onClose });
  } catch (error) {
    if (error !== ENOUGH_ELEMENTS) throw error;
    facts.cut = true;
  }
  return facts;
}

/** The note a finding adds when the HTML was not read to its end. */
export function cutNote(facts: HtmlFacts): Sentence[] {
  return facts.cut ? [sentence('html.partly-read', { elements: MAX_HTML_ELEMENTS, kilobytes: HTML_SCAN_LIMIT / 1024 })] : [];
}

function imageOf(attribs: Record<string, string>): HtmlImage {
  const tiny = [attribs.width, attribs.height].some((size) => size !== undefined && /^\s*[01](?:px)?\s*$/i.test(size));
  return { src: attribs.src ?? '', alt: attribs.alt ?? null, tiny };
}

// An anchor inside an anchor closes the outer one, as browsers do.
function addAnchor(facts: HtmlFacts, href: string): HtmlAnchor {
  const anchor = { href, text: '' };
  facts.anchors.push(anchor);
  return anchor;
}

function foldBlanks(text: string): string {
  return text.replace(BLANKS, ' ').trimStart();
}
