import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { renderSafeHtml } from '../../src/sanitize/html.js';
import type { SafeHtml, SafeHtmlOptions } from '../../src/sanitize/html.js';

// Fixtures and checks shared by the renderSafeHtml tests (safe-html*.test.ts, here, in test/browser and in test/load).

export const NEWSLETTER = readFileSync(new URL('../fixtures/xss/newsletter.html', import.meta.url), 'utf8');

const ATTACHMENTS = new Map([
  ['logo@weeklybrew.example', '/api/attachments/logo'],
  ['a%b@example', '/api/attachments/percent'],
]);

export function render(html: string, overrides: Partial<SafeHtmlOptions> = {}): SafeHtml {
  return renderSafeHtml(html, {
    allowRemote: false,
    resolveContentId: (id) => ATTACHMENTS.get(id) ?? null,
    ...overrides,
  });
}

/** Hostile inputs; every remote host in them is evil.example. */
export const PAYLOADS: Record<string, string> = {
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

export function readTags(document: string): WrittenTag[] {
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

export function bodyOf(document: string): string {
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
export function expectSafe(result: SafeHtml, allowRemote = false): void {
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

