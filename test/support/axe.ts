import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result, RunOptions } from 'axe-core';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: the rules issue 22 holds the page to. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// Read once per test file: axe-core's own build, as published, injected into the page under test.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core's WCAG A and AA rules on the page as it is now and returns
 * what they found. The page needs a context made with `bypassCSP: true`:
 * its CSP allows only its own script files, so the injected axe would be
 * refused like any other inline script.
 *
 * The message's HTML frame is left out: it holds what the sender wrote, not
 * the page, and runs no script, so axe could not run inside it anyway (it
 * would wait a minute per frame for an answer). The frame element itself,
 * its title included, is still checked.
 */
export async function axeViolations(page: Page): Promise<Result[]> {
  if (!await page.evaluate(() => 'axe' in window)) await page.addScriptTag({ content: AXE_SOURCE });
  const options: RunOptions = {
    runOnly: { type: 'tag', values: WCAG_AA_TAGS },
    iframes: false,
    resultTypes: ['violations'],
  };
  const results = await page.evaluate(
    (runOptions) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, runOptions),
    options,
  );
  return results.violations;
}

/**
 * Violations as lines a person can act on: the rule and its impact, then
 * each element (its selector) with what is wrong with it.
 */
export function describeViolations(violations: Result[]): string {
  return violations.map((violation) => [
    `${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}`,
    ...violation.nodes.map((node) => `  ${node.target.join(' ')}\n    ${(node.failureSummary ?? '').replace(/\n\s*/g, ' ')}`),
  ].join('\n')).join('\n');
}
