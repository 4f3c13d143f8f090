import { describe, expect, it } from 'vitest';
import { MAX_HTML_CHARACTERS } from '../../src/sanitize/html.js';
import { NEWSLETTER, render } from '../http/safe-html-support.js';
import { expectLinear } from '../support/scaling.js';

// Times grow with the input as it is cut into pieces of hostile markup: the
// quadratic paths this guards against show at a few hundred kilobytes already.
// Timed, so it runs in the load pass, with the machine to itself.
describe('renderSafeHtml speed', () => {
  // Longer HTML is cut to MAX_HTML_CHARACTERS before it is rendered, which would flatter the larger size.
  it('renders a newsletter in time linear in its size, up to the most it renders (1 MiB)', () => {
    const copies = Math.floor(MAX_HTML_CHARACTERS / 8 / NEWSLETTER.length);
    expect(NEWSLETTER.length * copies * 8).toBeGreaterThan(MAX_HTML_CHARACTERS * 0.9);
    expectLinear((times) => NEWSLETTER.repeat(times), render, copies);
  });

  it.each([
    ['deep nesting', (n: number) => '<div>'.repeat(n), 12_500],
    ['unclosed attributes', (n: number) => '<a href="'.repeat(n), 8_000],
    ['unknown tags in text', (n: number) => 'a <b> c <x> '.repeat(n), 5_000],
    ['unclosed CSS comments', (n: number) => `<style>${'/*'.repeat(n)}`, 30_000],
    ['unclosed url(', (n: number) => `<style>${'a{b:url('.repeat(n)}`, 8_000],
    ['bad url( then text', (n: number) => `<style>${'a{b:url(a"b'.repeat(n)}`, 6_000],
    ['unclosed CSS strings', (n: number) => `<style>${'a{b:"x\\"'.repeat(n)}`, 8_000],
    ['nested at-rules', (n: number) => `<style>${'@media x{'.repeat(n)}`, 6_000],
    ['open braces', (n: number) => `<style>${'{'.repeat(n)}`, 60_000],
    ['long style attribute', (n: number) => `<p style="${'color:red;background:url(https://evil.example/a);'.repeat(n)}">x`, 1_250],
    ['many style elements', (n: number) => '<style>a{color:red}</style><img src="cid:none">'.repeat(n), 1_400],
    ['long URL of spaces', (n: number) => `<a href="${' '.repeat(n)}x">y</a>`, 60_000],
  ])('stays linear on %s', (_name, build, size) => {
    expectLinear(build, render, size);
  });
});
