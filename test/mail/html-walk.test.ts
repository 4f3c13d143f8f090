/**
 * walkHtml drives htmlparser2 directly. Until 2026-11 it drove it through
 * sanitize-html (every tag disallowed, invisible elements as nonTextTags,
 * text re-escaped and unescaped again). Parsed content must not change, so
 * the walk is compared, event for event, with that earlier walker, kept here
 * as the reference: on real HTML mail, on hostile HTML, and on random markup.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { walkHtml } from '../../src/mail/parse/html-text.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { XSS_CARRIERS } from '../hostile/xss-carriers.js';

type WalkEvent = ['open', string, Record<string, string>] | ['close', string] | ['text', string];

const INVISIBLE_TAGS = ['script', 'style', 'xmp', 'textarea', 'option', 'noscript', 'title', 'template'];

/** The walker as it was, on sanitize-html. */
function referenceWalk(html: string): WalkEvent[] {
  const events: WalkEvent[] = [];
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: INVISIBLE_TAGS,
    onOpenTag: (tag, attribs) => events.push(['open', tag, { ...attribs }]),
    onCloseTag: (tag) => events.push(['close', tag]),
    textFilter: (text) => {
      events.push(['text', text.replace(/&(amp|lt|gt);/g, (_match, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '')]);
      return '';
    },
  });
  return events;
}

function walk(html: string): WalkEvent[] {
  const events: WalkEvent[] = [];
  walkHtml(html, {
    onOpen: (tag, attribs) => events.push(['open', tag, { ...attribs }]),
    onClose: (tag) => events.push(['close', tag]),
    onText: (text) => events.push(['text', text]),
  });
  return events;
}

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

const TAGS = ['a', 'p', 'div', 'td', 'tr', 'table', 'b', 'br', 'img', 'li', 'ul', 'select', 'svg', 'math', 'body', 'html', 'head', ...INVISIBLE_TAGS];
const ATTRIBUTE_VALUES = ['https://x.test/?a=1&amp;b=2', 'javascript:alert(1)', '&quot;q&quot;', 'a"b', "it's", '', '&#x41;&#66;', 'verify'];
const TEXT = ['Your code is 482913', '&amp;', '&lt;b&gt;', '&nbsp;', '&#8203;', '&bogus;', '&', '<', '>', ' <> ', '\n', 'ü €', '&amp;lt;'];
const MARKUP = [
  '<!-- comment -->', '<!--', '-->', '<![CDATA[x<y]]>', '<!doctype html>', '<?xml version="1.0"?>', '</', '<a', '<p <b>', '/>',
  '<a href="unterminated', '<img alt=\'x\' src=y/>', '<br/>', '</br>', '</p>', '</script>', '</title>', '<script>if (a<b) x()</script>',
];

const attribute = fc.tuple(fc.constantFrom('href', 'alt', 'HREF', 'title', 'data-x'), fc.constantFrom(...ATTRIBUTE_VALUES), fc.constantFrom('"', "'", ''))
  .map(([name, value, quote]) => (quote === '' && /[\s"'=<>`]/.test(value) ? ` ${name}` : ` ${name}=${quote}${value}${quote}`));
const openTag = fc.tuple(fc.constantFrom(...TAGS), fc.array(attribute, { maxLength: 3 }), fc.boolean())
  .map(([tag, attributes, upper]) => `<${upper ? tag.toUpperCase() : tag}${attributes.join('')}>`);
const closeTag = fc.constantFrom(...TAGS).map((tag) => `</${tag}>`);
const markup = fc.array(fc.oneof(openTag, closeTag, fc.constantFrom(...TEXT), fc.constantFrom(...MARKUP), fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('walkHtml: the same walk as the sanitize-html walker it replaced', () => {
  it('on the HTML of the mail fixtures and the hostile corpus', async () => {
    const names = ['alternative', 'html-only', 'related-inline-image'];
    const mails = await Promise.all(names.map(async (name) => parseMessage(readFileSync(new URL(`../fixtures/mail/${name}.eml`, import.meta.url)))));
    const documents = [
      ...mails.map((mail) => mail.html ?? ''), fixture('xss/newsletter.html'), fixture('api/hostile.html'),
      ...XSS_CARRIERS.flatMap((carrier) => carrier.html ?? []),
    ];
    expect(documents.filter((html) => html.length > 0).length).toBeGreaterThanOrEqual(15);
    for (const html of documents) expect(walk(html)).toEqual(referenceWalk(html));
  });

  it('on random markup: tags in any order, invisible elements, entities, comments and broken syntax', () => {
    fc.assert(fc.property(markup, (html) => {
      expect(walk(html)).toEqual(referenceWalk(html));
    }), { numRuns: 2_000 });
  });

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (html) => {
      expect(walk(html)).toEqual(referenceWalk(html));
    }), { numRuns: 1_000 });
  });
});
