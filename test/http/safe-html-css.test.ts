import { describe, expect, it } from 'vitest';
import { render } from './safe-html-support.js';

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
