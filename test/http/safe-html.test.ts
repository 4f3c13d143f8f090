import { describe, expect, it } from 'vitest';
import { safeHtmlCsp } from '../../src/sanitize/csp.js';
import { MAX_HTML_CHARACTERS } from '../../src/sanitize/html.js';
import { bodyOf, expectSafe, NEWSLETTER, PAYLOADS, readTags, render } from './safe-html-support.js';

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

  it('keeps name on links only, so nothing can shadow a property of the document the page measures', () => {
    // Document named properties come from name on img, form, embed, object and iframe (DOM clobbering).
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    const body = bodyOf(render(`<img name="documentElement" src="${image}"><div name="body">d</div><a name="top">t</a>`).document);
    expect(body).toBe(`<img src="${image}" /><div>d</div><a name="top">t</a>`);
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

describe('renderSafeHtml on HTML longer than it renders', () => {
  const CELL = `<p style="color:#333">${'cell '.repeat(40)}</p>`;

  it('renders HTML up to MAX_HTML_CHARACTERS in full, with no notice', () => {
    const html = 'x'.repeat(MAX_HTML_CHARACTERS - 8) + '<b>a</b>';
    const body = bodyOf(render(html).document);
    expect(body.endsWith('<b>a</b>')).toBe(true);
    expect(body).not.toContain('characters of HTML are shown');
  });

  it('renders the first MAX_HTML_CHARACTERS, ended before a tag, under a notice saying what was left out', () => {
    const html = CELL.repeat(Math.ceil((MAX_HTML_CHARACTERS * 3) / CELL.length));
    const result = render(html);
    expectSafe(result);
    const body = bodyOf(result.document);
    const notice = `Only the first ${(Math.floor(MAX_HTML_CHARACTERS / CELL.length) * CELL.length).toLocaleString('en-US')} of this message's `
      + `${html.length.toLocaleString('en-US')} characters of HTML are shown, to keep it quick to display. `
      + 'The rest is left out here; the raw message (.eml) has all of it.</div>';
    expect(body.startsWith('<div style=')).toBe(true);
    expect(body).toContain(notice);
    // Every cell is whole: the cut fell between two of them.
    expect(body.slice(body.indexOf(notice) + notice.length)).toBe(CELL.repeat(Math.floor(MAX_HTML_CHARACTERS / CELL.length)));
  });

  it('cuts text without tags at MAX_HTML_CHARACTERS', () => {
    const body = bodyOf(render('y'.repeat(MAX_HTML_CHARACTERS + 10)).document);
    expect(body).toContain(`Only the first ${MAX_HTML_CHARACTERS.toLocaleString('en-US')} of`);
    expect(body.endsWith(`</div>${'y'.repeat(MAX_HTML_CHARACTERS)}`)).toBe(true);
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

describe('safeHtmlCsp', () => {
  it('allows no script and only local images, inline styles and data: fonts', () => {
    expect(safeHtmlCsp({ allowRemote: false })).toBe(
      "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox allow-same-origin",
    );
  });

  it('adds remote images, styles and fonts when allowed', () => {
    expect(safeHtmlCsp({ allowRemote: true })).toBe(
      "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline' https: http:; font-src data: https: http:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox allow-same-origin",
    );
  });
});
