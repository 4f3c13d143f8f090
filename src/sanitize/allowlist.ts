/**
 * What survives of a message's markup: the element and attribute allowlists
 * and the sanitize-html options built from them. Deliberately narrow: the
 * formatting mail actually uses, nothing that can run, submit, embed or fetch
 * except the URL attributes the transform in html.ts vets.
 */
import type sanitizeHtml from 'sanitize-html';

// Everyday mail formatting.
const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div',
  'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'pre', 'q',
  's', 'samp', 'section', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

// Where the `background` attribute paints an image. The transform rewrites
// it there like an image source; elsewhere it is inert and simply dropped.
const BACKGROUND_TAGS = ['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th'];

// Presentational attributes of table-era mail. Only href, src and
// background take a URL, and the transform vets each of them.
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['align', 'valign', 'bgcolor', 'border', 'width', 'height', 'style', 'class', 'id', 'title', 'dir', 'lang'],
  ...Object.fromEntries(BACKGROUND_TAGS.map((tag) => [tag, ['background']])),
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt', 'hspace', 'vspace'],
  table: ['background', 'cellpadding', 'cellspacing', 'bordercolor', 'frame', 'rules', 'summary'],
  td: ['background', 'colspan', 'rowspan', 'nowrap', 'headers', 'scope'],
  th: ['background', 'colspan', 'rowspan', 'nowrap', 'headers', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  font: ['color', 'face', 'size'],
  hr: ['noshade', 'size', 'color'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['type', 'value'],
};

// Dropped together with everything inside: raw-text and foreign-content
// elements, where parsers disagree on what the content is (the mXSS vectors),
// and containers whose content a mail reader should never show. <style> is
// not listed: its text is collected by textFilter.
const DROPPED_WITH_CONTENT = [
  'script', 'textarea', 'option', 'select', 'xmp', 'plaintext', 'noscript', 'noembed',
  'noframes', 'iframe', 'template', 'title', 'svg', 'math',
];

const ALLOWED_TAG_SET = new Set(ALLOWED_TAGS);
const BACKGROUND_TAG_SET = new Set(BACKGROUND_TAGS);

/** Whether the element is kept (its attributes still filtered). */
export function isAllowedTag(tagName: string): boolean {
  return ALLOWED_TAG_SET.has(tagName);
}

/** Whether the element's `background` attribute is kept, as an image URL. */
export function paintsBackground(tagName: string): boolean {
  return BACKGROUND_TAG_SET.has(tagName);
}

const IMAGE_SCHEMES = ['http', 'https', 'data'];

/** The static part of the sanitize-html options; the per-call hooks are added by renderSafeHtml. */
export const SANITIZE_OPTIONS = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  // A second line of defence behind the transform, which already vetted every URL.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: Object.fromEntries(['img', ...BACKGROUND_TAGS].map((tag) => [tag, IMAGE_SCHEMES])),
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
} satisfies sanitizeHtml.IOptions;
