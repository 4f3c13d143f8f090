import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

// jsQR is CommonJS built from ES modules: required, its function is `default`, for Node and the types alike.
const { default: jsQR } = createRequire(import.meta.url)('jsqr') as typeof import('jsqr');

/**
 * "Open on phone" in Chromium against a real server: the QR code is drawn
 * in the page, decodes to the inbox's URL, and works by keyboard.
 */
describeBrowser('web inbox: the QR code of the inbox', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** What the QR code on screen says, read from a screenshot as a phone's camera would read it. */
  async function decodeShownCode(page: Page): Promise<string | null> {
    const image = page.locator('#qr-image');
    await page.waitForFunction(() => {
      const element = document.getElementById('qr-image');
      return element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0;
    });
    const png = PNG.sync.read(await image.screenshot());
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
  }

  it('shows a QR code that decodes to the inbox URL, drawn in the page without sending the URL anywhere', async () => {
    const page = await harness.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto('/');
    const address = await shownAddress(page);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await page.getByRole('button', { name: 'Open on phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open this inbox on your phone' });
    await dialog.waitFor();
    const url = `${harness.server.httpUrl}/#/inbox/${address}`;
    expect(await decodeShownCode(page)).toBe(url);
    await expect(page.locator('#qr-url').textContent()).resolves.toBe(url);
    await expect(dialog.textContent()).resolves.toContain('Point your phone’s camera at the code');
    // Opened as 127.0.0.1, which no phone reaches: the dialog says how to get a code that works.
    await expect(page.locator('#qr-loopback').textContent()).resolves.toContain(`opened as ${new URL(url).hostname}, which only this computer reaches`);
    // The library's one file is all the page fetched: the URL was encoded here.
    expect(requests).toEqual([`${harness.server.httpUrl}/vendor/uqr.mjs`]);
    expect(errors).toEqual([]);
  });

  it('opens and closes by keyboard, gives focus back, and follows the inbox on show', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    const first = await shownAddress(page);
    const button = page.locator('#show-qr');
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Open this inbox on your phone' });
    await dialog.waitFor();
    expect(await decodeShownCode(page)).toBe(`${harness.server.httpUrl}/#/inbox/${first}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('show-qr');

    await page.locator('#new-address').click();
    await page.waitForFunction((old) => !document.getElementById('address')?.textContent?.includes(old), first);
    const second = await shownAddress(page);
    await button.click();
    await dialog.waitFor();
    expect(await decodeShownCode(page)).toBe(`${harness.server.httpUrl}/#/inbox/${second}`);
    // The Close button has focus in the open dialog; Enter presses it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  });
});
