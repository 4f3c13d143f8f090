import { describe, expect, it } from 'vitest';
import { NEWSLETTER, render } from './safe-html-support.js';

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
