import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Where keyboard focus goes on a page, as a person using Tab sees it: the
 * element and whether it draws a focus ring.
 */

/** The element that has focus, as a person would point at it, and whether it draws a focus ring. */
export interface FocusStop {
  label: string;
  ring: boolean;
  matches: boolean;
}

/** Where focus is now; `matches` says whether that element matches `selector`. */
export async function focusStop(page: Page, selector: string): Promise<FocusStop> {
  return page.evaluate((target) => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement) || element === document.body) return { label: '(nothing)', ring: false, matches: false };
    const style = getComputedStyle(element);
    const ring = element.matches(':focus-visible') && style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0
      && !/rgba\(.*, 0\)$/.test(style.outlineColor);
    const name = (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return { label: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${name}"`, ring, matches: element.matches(target) };
  }, selector);
}

/** Presses Tab (Shift+Tab with `backwards`) once and says where focus went. */
async function nextStop(page: Page, selector: string, backwards = false): Promise<FocusStop> {
  await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  return focusStop(page, selector);
}

/**
 * Every stop from here to the end of the page's Tab order: past the last,
 * focus leaves the page (and the next Tab starts again at the first).
 */
export async function stopsToEnd(page: Page): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let stop = await nextStop(page, '*'); stop.label !== '(nothing)'; stop = await nextStop(page, '*')) {
    stops.push(stop);
    if (stops.length > 80) expect.fail(`the Tab order never ends: ${stops.map(({ label }) => label).join(', ')}`);
  }
  return stops;
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until the element matching
 * `selector` has focus, and fails if any stop on the way draws no focus ring.
 */
export async function tabTo(page: Page, selector: string, { backwards = false } = {}): Promise<void> {
  const visited: string[] = [];
  for (let step = 0; step < 30; step++) {
    const stop = await nextStop(page, selector, backwards);
    visited.push(stop.label);
    expect(stop.ring, `${stop.label} shows no focus ring`).toBe(true);
    if (stop.matches) return;
  }
  expect.fail(`Tab never reached ${selector}; it went through ${visited.join(', ')}`);
}
