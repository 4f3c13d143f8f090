/**
 * Turns a message's (hostile) HTML body into the document the inbox shows in
 * its sandboxed iframe, and the Content-Security-Policy served with it.
 *
 * Safety does not rest on guessing how a browser would read the input. The
 * input is parsed once (htmlparser2, inside sanitize-html) and a new document
 * is written from that parse: allowlisted elements and attributes only, every
 * text and attribute value escaped, and no element whose content a browser
 * parses differently from ordinary markup (no script, style, textarea, svg,
 * math, noscript...). Such output means the same to every HTML parser: it
 * parses back to the elements written, which is what defeats mXSS. Author CSS is gathered from <style>
 * elements, sanitised separately and placed in the <head>.
 *
 * sanitize-html's exclusiveFilter is deliberately not used: each exclusion
 * copies the whole output so far, which is quadratic on large messages.
 * Hence the detours for <style> (textFilter) and dropped images (a <span>).
 */
import sanitizeHtml from 'sanitize-html';
import { SANITIZE_OPTIONS, isAllowedTag, paintsBackground } from './allowlist.js';
import { sanitizeStyleAttribute, sanitizeStylesheet } from './css.js';
import type { CssUrlRewriter } from './css.js';
import { decideLink, decideResource } from './url.js';
import type { ResourceDecision, ResourcePolicy } from './url.js';

export interface SafeHtmlOptions {
  /** Load remote images and stylesheets (the reader pressed "Load remote images"). */
  allowRemote: boolean;
  /** URL of the inline attachment with this Content-ID (without <>), or null if the message has none. */
  resolveContentId: (contentId: string) => string | null;
}

export interface SafeHtml {
  /** A complete HTML document, without any script. */
  document: string;
  /** Remote images and CSS url()s left out because `allowRemote` was false. */
  blockedRemoteCount: number;
}

// htmlparser2's open-element stack costs time proportional to its depth on
// every tag, so hostile nesting would be quadratic. Chromium stops nesting
// at 512 anyway.
const MAX_DEPTH = 1024;

// A <style media="..."> value this simple is safe to write as an @media prelude.
const MEDIA_QUERY = /^[a-z0-9\s(),:.\/-]+$/i;

// The escapes sanitize-html applies to text before textFilter sees it.
const TEXT_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&' };

const TOO_DEEP_BODY = "<p>This message's HTML is nested too deeply to display safely.</p>";

/**
 * The most HTML rendered, in characters. Render time and heap grow with the
 * elements, attributes and entities in the input, not its bytes: dense
 * markup (`<p>a` over and over) costs about 0.75 s and 63 MB of worker heap
 * per MiB, and 3 MiB of it ran a 128 MB worker out of heap
 * (BENCHMARKS.md, "Render cost by input size"). Real mail is far smaller:
 * Gmail clips a message's HTML at 102 KB.
 */
export const MAX_HTML_CHARACTERS = 1024 * 1024;

/** Thrown from the parser's callbacks to stop it on hostile nesting. */
class TooDeepError extends Error {}

const BASE_STYLESHEET = [
  // Render as the author designed, even when the reader's UI is dark.
  ':root{color-scheme:light}',
  'body{margin:0;padding:16px;background:#fff;color:#1f1f1f;',
  'font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;',
  // `anywhere` also shrinks min-content, so long URLs cannot widen table cells.
  'overflow-wrap:anywhere}',
  'img{max-width:100%;height:auto}',
  'pre{white-space:pre-wrap}',
].join('');

/**
 * Sanitises a message's HTML body into the document served to the inbox
 * iframe: its first MAX_HTML_CHARACTERS, with a notice at the top when
 * there was more.
 */
export function renderSafeHtml(html: string, options: SafeHtmlOptions): SafeHtml {
  const shown = cutHtml(html);
  const notice = shown.length < html.length ? cutNotice(html.length, shown.length) : '';
  const run = new SanitizerRun(options);
  try {
    const body = sanitizeHtml(shown.replaceAll('\0', '\uFFFD'), { ...SANITIZE_OPTIONS, ...run.hooks() });
    return { document: buildDocument(notice + body, run.stylesheets.join('')), blockedRemoteCount: run.blockedRemoteCount };
  } catch (error) {
    if (!(error instanceof TooDeepError)) throw error;
    return { document: buildDocument(notice + TOO_DEEP_BODY, ''), blockedRemoteCount: 0 };
  }
}

/** The first MAX_HTML_CHARACTERS of `html`, ended before the last tag that would be cut in two. */
function cutHtml(html: string): string {
  if (html.length <= MAX_HTML_CHARACTERS) return html;
  const lastTag = html.lastIndexOf('<', MAX_HTML_CHARACTERS);
  return html.slice(0, lastTag > 0 ? lastTag : MAX_HTML_CHARACTERS);
}

// Styled inline, ahead of the author's body: author CSS in the <head> could restyle a class of ours.
function cutNotice(total: number, shown: number): string {
  const count = (characters: number) => characters.toLocaleString('en-US');
  return '<div style="margin:0 0 16px;padding:8px 12px;border:1px solid #d4a72c;border-radius:4px;background:#fff8c5;color:#1f1f1f">'
    + `Only the first ${count(shown)} of this message's ${count(total)} characters of HTML are shown, to keep it quick to display. `
    + 'The rest is left out here; the raw message (.eml) has all of it.</div>';
}

type Attributes = sanitizeHtml.Attributes;

/** The state of one renderSafeHtml call, fed by sanitize-html's callbacks. */
class SanitizerRun {
  blockedRemoteCount = 0;
  readonly stylesheets: string[] = [];
  private pendingCss = '';
  private pendingMedia: string | null = null;
  private depth = 0;

  constructor(private readonly policy: ResourcePolicy) {}

  private readonly rewriteCssUrl: CssUrlRewriter = (url) => {
    const decision = this.decide(url);
    return decision.action === 'keep' ? decision.url : null;
  };

  hooks(): sanitizeHtml.IOptions {
    return {
      transformTags: {
        // Keeps the author's body style and class, on a wrapper.
        body: 'div',
        '*': (tagName, attribs) => this.transform(tagName, attribs),
      },
      // <style> is not allowed, so its text comes here (HTML-escaped, as
      // documented) instead of going to the output.
      textFilter: (text, tagName) => (tagName === 'style' ? this.collectCss(text) : text),
      onOpenTag: (tagName, attribs) => {
        if (++this.depth > MAX_DEPTH) throw new TooDeepError();
        if (tagName === 'style') this.pendingMedia = attribs.media ?? null;
      },
      onCloseTag: (tagName) => {
        this.depth--;
        if (tagName === 'style') this.finishStylesheet();
      },
    };
  }

  private decide(url: string): ResourceDecision {
    const decision = decideResource(url, this.policy);
    if (decision.action === 'block-remote') this.blockedRemoteCount++;
    return decision;
  }

  private transform(tagName: string, attribs: Attributes): sanitizeHtml.Tag {
    // Disallowed elements are discarded anyway; vetting their URLs would only skew the count.
    if (!isAllowedTag(tagName)) return { tagName, attribs };
    const cleaned = { ...attribs };
    if (cleaned.style !== undefined) cleaned.style = sanitizeStyleAttribute(cleaned.style, this.rewriteCssUrl);
    if (cleaned.background !== undefined && paintsBackground(tagName)) this.cleanResource(cleaned, 'background');
    if (tagName === 'a') cleanLink(cleaned);
    // sanitize-html cannot drop an allowed element from a transform; an
    // empty <span> stands in for an image whose source may not be shown.
    if (tagName === 'img' && cleaned.src !== undefined && this.cleanResource(cleaned, 'src') === 'drop') {
      return { tagName: 'span', attribs: {} };
    }
    return { tagName, attribs: cleaned };
  }

  /**
   * Rewrites a URL attribute in place. A blocked remote image loses only its
   * URL, keeping size and alt text so the layout holds until the reader loads it.
   */
  private cleanResource(attribs: Attributes, name: 'src' | 'background'): ResourceDecision['action'] {
    const decision = this.decide(attribs[name] ?? '');
    if (decision.action === 'keep') attribs[name] = decision.url;
    else delete attribs[name];
    return decision.action;
  }

  private collectCss(escapedText: string): string {
    this.pendingCss += escapedText.replace(/&(lt|gt|amp);/g, (_entity, name: string) => TEXT_ENTITIES[name] ?? '');
    return '';
  }

  private finishStylesheet(): void {
    const css = sanitizeStylesheet(this.pendingCss, this.rewriteCssUrl);
    const media = this.pendingMedia?.trim() ?? '';
    // A stylesheet for another medium (print) must not restyle the screen;
    // one whose media cannot be vetted is dropped rather than applied everywhere.
    if (media === '' || media.toLowerCase() === 'all') this.stylesheets.push(css);
    else if (MEDIA_QUERY.test(media) && css !== '') this.stylesheets.push(`@media ${media}{${css}}`);
    this.pendingCss = '';
  }
}

/** Keeps safe hrefs; links leaving the message open in a new tab that cannot reach back. */
function cleanLink(attribs: Attributes): void {
  const href = attribs.href === undefined ? null : decideLink(attribs.href);
  delete attribs.target;
  delete attribs.rel;
  if (href === null) {
    delete attribs.href;
    return;
  }
  attribs.href = href;
  if (!href.startsWith('#')) {
    attribs.target = '_blank';
    attribs.rel = 'noopener noreferrer';
  }
}

function buildDocument(body: string, authorCss: string): string {
  // no-referrer: the document's URL names the inbox, which is its only secret,
  // and must not reach image hosts or link targets in a Referer header.
  const head =
    '<meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    `<style>${BASE_STYLESHEET}</style>` +
    (authorCss === '' ? '' : `<style>${authorCss}</style>`);
  return `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
}
