import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeHtmlCsp } from '../../src/http/safe-html-csp.js';
import { renderSafeHtml } from '../../src/http/safe-html.js';
import type { SafeHtml, SafeHtmlOptions } from '../../src/http/safe-html.js';

const NEWSLETTER = readFileSync(new URL('../fixtures/xss/newsletter.html', import.meta.url), 'utf8');

const ATTACHMENTS = new Map([
  ['logo@weeklybrew.example', '/api/attachments/logo'],
  ['a%b@example', '/api/attachments/percent'],
]);

function render(html: string, overrides: Partial<SafeHtmlOptions> = {}): SafeHtml {
  return renderSafeHtml(html, {
    allowRemote: false,
    resolveContentId: (id) => ATTACHMENTS.get(id) ?? null,
    ...overrides,
  });
}

/** Hostile inputs; every remote host in them is evil.example. */
const PAYLOADS: Record<string, string> = {
  'script element': '<script>alert(1)</script><p>after</p>',
  'uppercase script with src': '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  'mixed-case tag and handler': '<ImG sRc=x OnErRoR=alert(1)><DiV OnClIcK="alert(1)">x</DiV>',
  'handlers on kept elements':
    '<body onload=alert(1)><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload=alert(2) onerror=alert(3)>' +
    '<a href="https://ok.example/" onclick=alert(4) onmouseover=alert(5)>x</a><table onmouseover=alert(6)><tr><td>y</td></tr></table>',
  'svg style breakout': '<svg><style><img src=x onerror=alert(1)></style>',
  'math mglyph breakout': '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  'noscript title breakout': '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  'tab inside scheme': '<a href="jav&#x09;ascript:alert(1)">x</a>',
  'leading space before scheme': '<a href=" javascript:alert(1)">x</a>',
  'entity-encoded scheme': '<a href="&#106;avascript&colon;alert(1)">x</a>',
  'vbscript link': '<a href="vbscript:msgbox(1)">x</a>',
  'data: html link': '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  'unclosed img at end of input': '<img src=x onerror=alert(1)//',
  'iframe srcdoc': '<iframe srcdoc="<script>alert(1)</script>"><img src=x onerror=alert(2)></iframe>',
  'form and controls': '<form action=javascript:alert(1)><input name=a autofocus onfocus=alert(1)><button formaction=javascript:alert(2)>go</button><select><option>x</option></select><textarea>t</textarea></form>',
  'object': '<object data="javascript:alert(1)"><param name=x value=y></object>',
  'embed': '<embed src="https://evil.example/x.swf">',
  'frameset and applet': '<frameset><frame src="javascript:alert(1)"></frameset><applet code=x></applet>',
  'meta refresh': '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
  'base href': '<base href="https://evil.example/"><a href="x">relative</a>',
  'link stylesheet': '<link rel=stylesheet href="https://evil.example/x.css">',
  'style @import': '<style>@import url(https://evil.example/x.css); @import "https://evil.example/y.css"; p{color:red}</style>',
  'escaped @import': '<style>@\\69mport url(https://evil.example/x.css);</style>',
  'remote background in style attribute': '<div style="background:url(https://evil.example/p.png)">x</div>',
  'legacy script in style attribute':
    '<div style="width: expression(alert(1)); behavior: url(x.htc); -moz-binding: url(https://evil.example/x.xml#xss)">x</div>',
  'javascript url in style attribute': '<div style="background-image: url(javascript:alert(1))">x</div>',
  'escaped url( in style attribute': '<div style="background: u\\72l(https://evil.example/p.png)">x</div>',
  'remote url in style element': '<style>.a{background:url("https://evil.example/p.png")} @font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>',
  'image-set with bare strings': '<div style="background-image: -webkit-image-set(\'https://evil.example/p.png\' 1x)">x</div>',
  srcset: '<img srcset="https://evil.example/x 1x" src="data:image/png;base64,AAAA">',
  'background attribute': '<table background="https://evil.example/bg.png"><tr><td background="javascript:alert(1)">x</td></tr></table>',
  'media elements': '<video poster="https://evil.example/p.png" src=https://evil.example/v></video><audio src=https://evil.example/a></audio><picture><source srcset="https://evil.example/s.png"></picture>',
  'comment trick': '<!--><script>alert(1)</script>--><b>after</b>',
  'comment inside attribute': '<p title="<!--"><img src=x onerror=alert(1)>--></p>',
  CDATA: '<![CDATA[<script>alert(1)</script>]]><p>after</p>',
  'NUL bytes': '<scr\0ipt>alert(1)</scr\0ipt><img src=x o\0nerror=alert(1)><a href="java\0script:alert(1)">x</a>',
  template: '<template><img src=x onerror=alert(1)></template>',
  'xmp and plaintext': '<xmp><img src=x onerror=alert(1)></xmp><plaintext><img src=x onerror=alert(1)>',
  'title breakout': '<title></title><img src=x onerror=alert(1)></title>',
  'svg data image': '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
  '</style> inside a CSS string': '<style>p{content:"</style><script>alert(1)</script>"}</style>',
  'attribute quote break': '<p title=\'a"onmouseover=alert(1) x="\'>x</p>',
  'unclosed tags': '<div><table><tr><td><b><i><a href="https://ok.example/">open',
  'protocol-relative image': '<img src="//evil.example/p.png">',
};

/** One start tag as written in a rendered document. */
interface WrittenTag {
  name: string;
  attributes: Map<string, string>;
  /** Where it starts in the document. */
  at: number;
}

// The exact shape the renderer writes: lowercase names, double-quoted values
// with <, > and " escaped. A `<` that does not start such a tag would mean
// text or CSS escaped its context.
const WRITTEN_TAG = /<(\/?)([a-z][a-z0-9]*)((?: [a-z-]+(?:="[^"<>]*")?)*) ?\/?>/y;
const WRITTEN_ATTRIBUTE = / ([a-z-]+)(?:="([^"]*)")?/g;

function readTags(document: string): WrittenTag[] {
  const doctype = '<!doctype html>';
  expect(document.startsWith(doctype)).toBe(true);
  const tags: WrittenTag[] = [];
  for (let at = document.indexOf('<', doctype.length); at >= 0; at = document.indexOf('<', at + 1)) {
    WRITTEN_TAG.lastIndex = at;
    const match = WRITTEN_TAG.exec(document);
    if (match === null) throw new Error(`stray "<" at ${at}: ${document.slice(at, at + 60)}`);
    if (match[1] === '/') continue;
    const attributes = new Map<string, string>();
    for (const [, name = '', value = ''] of (match[3] ?? '').matchAll(WRITTEN_ATTRIBUTE)) {
      attributes.set(name, decodeAttribute(value));
    }
    tags.push({ name: match[2] ?? '', attributes, at });
  }
  return tags;
}

function decodeAttribute(value: string): string {
  const entities: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };
  return value.replace(/&(quot|amp|lt|gt);/g, (_entity, name: string) => entities[name] ?? '');
}

function bodyOf(document: string): string {
  return document.slice(document.indexOf('<body>') + 6, document.lastIndexOf('</body>'));
}

const FORBIDDEN_ELEMENTS = [
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'form', 'input',
  'button', 'select', 'option', 'textarea', 'base', 'link', 'svg', 'math', 'template', 'noscript',
  'title', 'xmp', 'plaintext', 'video', 'audio', 'source', 'picture', 'area', 'map',
];
const FORBIDDEN_ATTRIBUTES = ['srcset', 'srcdoc', 'action', 'formaction', 'poster', 'data', 'http-equiv'];
const SAFE_RESOURCE = /^(?:data:image\/(?:png|gif|jpeg|webp)[;,]|\/api\/attachments\/)/;
const REMOTE_OR_SAFE_RESOURCE = /^(?:https?:\/\/|data:image\/(?:png|gif|jpeg|webp)[;,]|\/api\/attachments\/)/;

/** Everything the rendered document must satisfy, whatever the input. */
function expectSafe(result: SafeHtml, allowRemote = false): void {
  const { document } = result;
  const resource = allowRemote ? REMOTE_OR_SAFE_RESOURCE : SAFE_RESOURCE;
  expect(document.startsWith('<!doctype html><html><head><meta charset="utf-8">')).toBe(true);
  expect(document).not.toMatch(/<(?:script|iframe|object|embed|form|base|svg|meta http-equiv)/i);
  expect(document).not.toMatch(/javascript:|vbscript:|@import|expression\(|behavior|-moz-binding/i);
  if (!allowRemote) expect(document).not.toContain('evil.example');
  const tags = readTags(document);
  const bodyStart = document.indexOf('<body>');
  for (const tag of tags) {
    expect(FORBIDDEN_ELEMENTS).not.toContain(tag.name);
    // <style> and <meta> are the renderer's own, in the head.
    if (tag.name === 'style' || tag.name === 'meta') expect(tag.at).toBeLessThan(bodyStart);
    for (const [name, value] of tag.attributes) {
      expect(name).not.toMatch(/^on/);
      expect(FORBIDDEN_ATTRIBUTES).not.toContain(name);
      if (name === 'href') expect(value).toMatch(/^(?:https?:|mailto:|#)/);
      if (name === 'src' || name === 'background') expect(value).toMatch(resource);
    }
  }
  // The CSS writer quotes every url() it keeps (as &quot; in style attributes).
  const css = document.replaceAll('&quot;', '"');
  for (const [, quote = ''] of css.matchAll(/url\(("?)/gi)) expect(quote).toBe('"');
  for (const [, url = ''] of css.matchAll(/url\("([^"]*)"\)/g)) expect(url).toMatch(resource);
}

describe('renderSafeHtml on hostile input', () => {
  it.each(Object.entries(PAYLOADS))('%s', (_name, payload) => {
    expectSafe(render(payload));
    expectSafe(render(payload, { allowRemote: true }), true);
  });

  it.each(Object.entries(PAYLOADS))('%s: the output renders to itself again', (_name, payload) => {
    const body = bodyOf(render(payload).document);
    expect(bodyOf(render(body).document)).toBe(body);
  });

  it('keeps the harmless parts around removed ones', () => {
    expect(bodyOf(render(PAYLOADS['script element'] ?? '').document)).toBe('<p>after</p>');
    expect(bodyOf(render(PAYLOADS['comment trick'] ?? '').document)).toContain('<b>after</b>');
    expect(bodyOf(render(PAYLOADS['mixed-case tag and handler'] ?? '').document)).toBe('<span></span><div>x</div>');
    expect(bodyOf(render(PAYLOADS['noscript title breakout'] ?? '').document)).toBe('');
  });

  it('removes links with other schemes but keeps their text', () => {
    for (const href of ['javascript:alert(1)', ' javascript:alert(1)', 'jav\tascript:x', 'tel:123', 'ftp://x.example/', 'relative/path', '/api/inboxes']) {
      expect(bodyOf(render(`<a href="${href}">text</a>`).document)).toBe('<a>text</a>');
    }
  });

  it('replaces a remote url() with none so the rest of the declaration still applies', () => {
    const result = render('<td style="background: #003366 url(https://evil.example/hero.jpg) no-repeat; color: #fff">x</td>');
    expect(result.document).toContain('style="background:#003366 none no-repeat;color:#fff"');
    expect(result.blockedRemoteCount).toBe(1);
  });

  it('keeps the CSS of a stylesheet inside its element', () => {
    const result = render('<style>p::after{content:"<\\/style><img src=x onerror=alert(1)>"}</style>');
    expectSafe(result);
    expect(result.document).toContain('content:"\\3c \\/style>\\3c img src=x onerror=alert(1)>"');
  });

  it('shows a notice instead of parsing hostile nesting', () => {
    const result = render(`${'<div>'.repeat(5000)}deep`);
    expect(bodyOf(result.document)).toBe("<p>This message's HTML is nested too deeply to display safely.</p>");
    expect(bodyOf(render(`${'<div>'.repeat(500)}deep`).document)).toContain('deep');
  });
});

describe('renderSafeHtml on a real newsletter', () => {
  const blocked = render(NEWSLETTER);
  const tags = readTags(blocked.document);
  const named = (name: string) => tags.filter((tag) => tag.name === name);

  it('is safe', () => {
    expectSafe(blocked);
    expectSafe(render(NEWSLETTER, { allowRemote: true }), true);
  });

  it('keeps its table layout and presentational attributes', () => {
    expect(named('table')).toHaveLength(3);
    expect(named('td')).toHaveLength(7);
    const [outer] = named('table');
    expect(Object.fromEntries(outer?.attributes ?? [])).toEqual({
      id: 'bodyTable', width: '100%', border: '0', cellpadding: '0', cellspacing: '0', bgcolor: '#f4f4f4',
    });
    expect(named('font')[0]?.attributes.get('face')).toBe('Georgia');
    expect(named('center')).toHaveLength(1);
    expect(blocked.document).toContain('<td align="center" valign="top" style="padding:20px 0">');
  });

  it('keeps the body styling on a wrapper', () => {
    expect(bodyOf(blocked.document).trimStart()).toMatch(/^<div style="margin:0;padding:0;background-color:#f4f4f4" bgcolor="#f4f4f4">/);
  });

  it('keeps its stylesheet, media queries and CSS escapes, without @import or remote urls', () => {
    expect(blocked.document).toContain('@media only screen and (max-width: 600px){.wrapper{width:100% !important}');
    expect(blocked.document).toContain('.wrapper{width:600px;background:#ffffff none repeat}');
    expect(blocked.document).toContain('font-family:"Lato", "\\5FAE\\8F6F\\96C5\\9ED1", Helvetica');
    expect(blocked.document).not.toContain('fonts.example-cdn.com');
  });

  it('opens every outside link in a new tab without opener or referrer', () => {
    const links = named('a');
    expect(links).toHaveLength(5);
    for (const link of links.filter((a) => !a.attributes.get('href')?.startsWith('#'))) {
      expect(link.attributes.get('target')).toBe('_blank');
      expect(link.attributes.get('rel')).toBe('noopener noreferrer');
    }
    expect(links[0]?.attributes.get('href')).toBe('https://www.weeklybrew.example/?utm_source=newsletter&utm_medium=email');
    expect(links.find((a) => a.attributes.get('href') === '#top')?.attributes.has('target')).toBe(false);
  });

  it('resolves the inline logo and blocks the remote images, background and tracking pixel', () => {
    const sources = named('img').map((img) => img.attributes.get('src') ?? null);
    expect(sources).toEqual(['/api/attachments/logo', null, null, null]);
    expect(named('img')[1]?.attributes.get('alt')).toBe('Yirgacheffe beans');
    // Two <img>, the pixel, the background attribute, and two CSS url()s.
    expect(blocked.blockedRemoteCount).toBe(6);
  });

  it('loads remote content once the reader allows it', () => {
    const allowed = render(NEWSLETTER, { allowRemote: true });
    expect(allowed.blockedRemoteCount).toBe(0);
    const sources = readTags(allowed.document).filter((t) => t.name === 'img').map((img) => img.attributes.get('src'));
    expect(sources).toEqual([
      '/api/attachments/logo',
      'https://cdn.weeklybrew.example/beans-1.jpg',
      'https://cdn.weeklybrew.example/beans-2.jpg',
      'https://track.weeklybrew.example/open.gif?u=abc123',
    ]);
    expect(allowed.document).toContain('background="https://cdn.weeklybrew.example/hero-bg.jpg"');
    expect(allowed.document).toContain('background-image:url(&quot;https://cdn.weeklybrew.example/hero-bg.jpg&quot;)');
    expect(allowed.document).toContain(`url("https://cdn.weeklybrew.example/paper.png") repeat`);
    // @import stays out even then: the CSP's style-src is for sanitised CSS only.
    expect(allowed.document).not.toContain('fonts.example-cdn.com');
  });
});

describe('renderSafeHtml on images', () => {
  it('resolves cid: sources, decoding the Content-ID, and drops unknown ones', () => {
    const result = render('<img src="cid:a%25b@example" alt="a"><img src="CID:missing@example" alt="gone"><p>x</p>');
    expect(bodyOf(result.document)).toBe('<img src="/api/attachments/percent" alt="a" /><span></span><p>x</p>');
    expect(result.blockedRemoteCount).toBe(0);
  });

  it('resolves cid: in CSS and background attributes too', () => {
    const result = render('<td background="cid:a%25b@example" style="background-image:url(\'cid:a%25b@example\')">x</td>');
    expect(result.document).toContain('background="/api/attachments/percent"');
    expect(result.document).toContain('background-image:url(&quot;/api/attachments/percent&quot;)');
  });

  it('keeps raster data: images and drops other data: URLs', () => {
    for (const type of ['png', 'gif', 'jpeg', 'webp']) {
      expect(render(`<img src="data:image/${type};base64,AAAA">`).document).toContain(`src="data:image/${type};base64,AAAA"`);
    }
    expect(bodyOf(render('<img src="data:text/html;base64,AAAA"><img src="data:image/svg+xml;base64,AAAA">').document)).toBe(
      '<span></span><span></span>',
    );
  });

  it('counts each blocked remote image and keeps its size and alt text', () => {
    const result = render('<img src="https://evil.example/a.png" width="10" alt="A"><img src="http://evil.example/b.png"><img src="//evil.example/c.png">');
    expect(bodyOf(result.document)).toBe('<img width="10" alt="A" /><img /><img />');
    expect(result.blockedRemoteCount).toBe(3);
  });

  it('vets background attributes only where they paint, and drops them elsewhere', () => {
    const result = render('<table background="https://evil.example/t.png"><tr><td>x</td></tr></table><div background="https://evil.example/d.png">y</div>');
    expect(bodyOf(result.document)).toBe('<table><tr><td>x</td></tr></table><div>y</div>');
    expect(result.blockedRemoteCount).toBe(1);
  });

  it('keeps remote images when allowed, protocol-relative ones as https', () => {
    const result = render('<img src="http://pics.example/a.png"><img src="//pics.example/b.png">', { allowRemote: true });
    expect(bodyOf(result.document)).toBe('<img src="http://pics.example/a.png" /><img src="https://pics.example/b.png" />');
    expect(result.blockedRemoteCount).toBe(0);
  });
});

describe('renderSafeHtml on CSS', () => {
  const stylesheetOf = (html: string, allowRemote = false) => {
    // The author's CSS is the second <style>, after the renderer's own.
    return /<\/style><style>(.*)<\/style><\/head>/s.exec(render(html, { allowRemote }).document)?.[1] ?? '';
  };

  it('keeps ordinary rules and nested at-rules', () => {
    const css =
      '@charset "utf-8"; h1 { color: #333 !important; margin: 0 0 8px } ' +
      '@supports (display: grid) { @media print { .a { display: none } } } ' +
      '@keyframes spin { from { transform: rotate(0) } to { transform: rotate(360deg) } }';
    expect(stylesheetOf(`<style>${css}</style>`)).toBe(
      'h1{color:#333 !important;margin:0 0 8px}@supports (display: grid){@media print{.a{display:none}}}' +
        '@keyframes spin{from{transform:rotate(0)}to{transform:rotate(360deg)}}',
    );
  });

  it('drops unknown at-rules, custom properties, escapes and legacy hacks', () => {
    const css =
      '@namespace x url(https://evil.example/ns); @-moz-document url-prefix() { p { color: red } } ' +
      'p { --bg: url(https://evil.example/x.png); *zoom: 1; width: 100px\\9; color: blue } .sm\\:hidden { display: none }';
    expect(stylesheetOf(`<style>${css}</style>`)).toBe('p{color:blue}');
  });

  it('drops rules nested too deeply, but not what follows them', () => {
    const nested = `${'@media screen{'.repeat(20)}p{color:red}${'}'.repeat(20)}`;
    expect(stylesheetOf(`<style>${nested} b{color:blue}</style>`)).toBe('b{color:blue}');
  });

  it('blocks, counts and later allows remote fonts and backgrounds', () => {
    const html = '<style>@font-face{font-family:X;src:url(https://fonts.example/x.woff2) format("woff2")} p{background:url(//img.example/p.png)}</style>';
    expect(stylesheetOf(html)).toBe('@font-face{font-family:X;src:none format("woff2")}p{background:none}');
    expect(render(html).blockedRemoteCount).toBe(2);
    expect(stylesheetOf(html, true)).toBe(
      '@font-face{font-family:X;src:url("https://fonts.example/x.woff2") format("woff2")}p{background:url("https://img.example/p.png")}',
    );
  });

  it('applies a style element only to its media', () => {
    expect(stylesheetOf('<style media="print">p{color:red}</style><style media="ALL">b{color:blue}</style>')).toBe(
      '@media print{p{color:red}}b{color:blue}',
    );
    expect(stylesheetOf('<style media="x{} p">p{color:red}</style>')).toBe('');
  });

  it('keeps style elements apart, so an unfinished one cannot swallow the next', () => {
    expect(stylesheetOf('<style>p{color:red</style><style>b{color:blue}</style>')).toBe('p{color:red}b{color:blue}');
  });
});

describe('renderSafeHtml document', () => {
  const { document } = render('<p>hello</p>');

  it('is a complete document with a readable default stylesheet', () => {
    expect(document).toMatch(/^<!doctype html><html><head><meta charset="utf-8">.*<\/head><body><p>hello<\/p><\/body><\/html>$/);
    expect(document).toContain(':root{color-scheme:light}');
    expect(document).toContain('img{max-width:100%;height:auto}');
    expect(document).toContain('overflow-wrap:anywhere');
    expect(document).toContain('<meta name="referrer" content="no-referrer">');
  });
});

describe('renderSafeHtml speed', () => {
  // Generous for loaded CI machines; the quadratic paths this guards against take far longer.
  const budgetMs = 4000;

  function expectFast(html: string): void {
    const started = performance.now();
    render(html);
    expect(performance.now() - started).toBeLessThan(budgetMs);
  }

  it('renders a 2 MB newsletter in time', () => {
    const html = NEWSLETTER.repeat(Math.ceil(2_000_000 / NEWSLETTER.length));
    expect(html.length).toBeGreaterThan(2_000_000);
    expectFast(html);
  });

  it.each([
    ['deep nesting', '<div>'.repeat(400_000)],
    ['unclosed attributes', '<a href="'.repeat(250_000)],
    ['unknown tags in text', 'a <b> c <x> '.repeat(170_000)],
    ['unclosed CSS comments', `<style>${'/*'.repeat(1_000_000)}`],
    ['unclosed url(', `<style>${'a{b:url('.repeat(250_000)}`],
    ['bad url( then text', `<style>${'a{b:url(a"b'.repeat(200_000)}`],
    ['unclosed CSS strings', `<style>${'a{b:"x\\"'.repeat(250_000)}`],
    ['nested at-rules', `<style>${'@media x{'.repeat(200_000)}`],
    ['open braces', `<style>${'{'.repeat(2_000_000)}`],
    ['long style attribute', `<p style="${'color:red;background:url(https://evil.example/a);'.repeat(40_000)}">x`],
    ['many style elements', '<style>a{color:red}</style><img src="cid:none">'.repeat(45_000)],
    ['long URL of spaces', `<a href="${' '.repeat(2_000_000)}x">y</a>`],
  ])('stays fast on %s', (_name, html) => {
    expectFast(html);
  });
});

describe('safeHtmlCsp', () => {
  it('allows no script and only local images, inline styles and data: fonts', () => {
    expect(safeHtmlCsp({ allowRemote: false })).toBe(
      "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
    );
  });

  it('adds remote images, styles and fonts when allowed', () => {
    expect(safeHtmlCsp({ allowRemote: true })).toBe(
      "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline' https: http:; font-src data: https: http:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
    );
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'https://ephemail.test';

/**
 * The same documents in Chromium, whose HTML parser is the one that matters:
 * it must build exactly the elements the renderer wrote (no mXSS), nothing
 * may run, and nothing may load from elsewhere.
 */
describe.skipIf(!existsSync(CHROMIUM))('renderSafeHtml in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Serves `pages` (path -> [body, headers]) on ORIGIN; records every other request. */
  async function servePages(page: Page, pages: Map<string, [string, Record<string, string>]>, elsewhere: string[]): Promise<void> {
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      const served = url.origin === ORIGIN ? pages.get(url.pathname) : undefined;
      if (served !== undefined) {
        await route.fulfill({ body: served[0], headers: { 'content-type': 'text/html; charset=utf-8', ...served[1] } });
        return;
      }
      if (url.origin !== ORIGIN) elsewhere.push(url.href);
      await route.fulfill({ status: 404, body: '' });
    });
  }

  it('parses every output to the elements written, stably, with nothing run or fetched', async () => {
    const documents = [...Object.values(PAYLOADS), NEWSLETTER].map((html) => render(html).document);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const elsewhere: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // No CSP and no sandbox here: the sanitiser alone must hold.
    await servePages(page, new Map(documents.map((doc, i) => [`/doc/${i}`, [doc, {}]])), elsewhere);
    for (const [i, doc] of documents.entries()) {
      await page.goto(`${ORIGIN}/doc/${i}`);
      const parsed = await page.evaluate(() => {
        const html = document.documentElement.outerHTML;
        const reparsed = new DOMParser().parseFromString(html, 'text/html').documentElement.outerHTML;
        const elements = [...document.querySelectorAll('*')];
        return {
          stable: html === reparsed,
          foreign: elements.filter((el) => el.namespaceURI !== 'http://www.w3.org/1999/xhtml').length,
          names: elements.map((el) => el.localName).filter((name) => !['html', 'head', 'body', 'tbody'].includes(name)),
        };
      });
      const written = readTags(doc).map((tag) => tag.name).filter((name) => !['html', 'head', 'body', 'tbody'].includes(name));
      expect(parsed.stable, doc).toBe(true);
      expect(parsed.foreign).toBe(0);
      expect(parsed.names.sort(), doc).toEqual(written.sort());
    }
    expect(dialogs).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 60_000);

  it.each([false, true])('loads inline attachments under the CSP and sandbox (allowRemote: %s)', async (allowRemote) => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const attachments: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${ORIGIN}/api/attachments/`)) attachments.push(request.url());
    });
    const inbox = '<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="/message"></iframe>';
    const { document } = render(NEWSLETTER, { allowRemote });
    const csp = { 'content-security-policy': safeHtmlCsp({ allowRemote }) };
    await servePages(page, new Map([['/', [inbox, {}]], ['/message', [document, csp]]]), elsewhere);
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
    expect(attachments).toEqual([`${ORIGIN}/api/attachments/logo`]);
    const remoteImages = [
      'https://cdn.weeklybrew.example/paper.png',
      'https://cdn.weeklybrew.example/hero-bg.jpg',
      'https://cdn.weeklybrew.example/beans-1.jpg',
      'https://cdn.weeklybrew.example/beans-2.jpg',
      'https://track.weeklybrew.example/open.gif?u=abc123',
    ];
    expect(new Set(elsewhere)).toEqual(new Set(allowRemote ? remoteImages : []));
    await page.close();
  }, 30_000);
});
