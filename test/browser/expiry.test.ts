import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiMessageList } from '../../src/http/api/types.js';
import { describeBrowser, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/** "1 min", "30 sec", "90 seconds", as Intl writes them in English: the page's own words are Intl's. */
function inUnit(value: number, unit: 'minute' | 'second', unitDisplay: 'short' | 'long' = 'short'): string {
  return new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay }).format(value);
}

/**
 * How long mail has left, in Chromium against a server that keeps mail for
 * 90 seconds: precise near the end, counting down on the page's own timer
 * (the page's clock is held and moved by the test), and gone when its time is up.
 */
describeBrowser('web inbox: expiry people can see', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness(['--ttl', '90s']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('says "expires in 1 min 30 s" for a 90 s lifetime, counts down by the second, and drops the row when the time is up', async () => {
    const address = await harness.newInbox();
    await harness.send({ to: address, subject: 'Short-lived', text: 'Gone in 90 seconds.' });
    const response = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const [message] = (await response.json() as ApiMessageList).messages;
    if (message === undefined) throw new Error('the message did not arrive');
    const arrived = Date.parse(message.receivedAt);
    expect(Date.parse(message.expiresAt) - arrived).toBe(90_000);

    const page = await harness.newPage();
    const errors = watchConsoleErrors(page);
    // The page's clock stands at the moment the mail arrived, and moves only when the test says.
    // Installed a minute early: the installed clock runs until paused, and a busy machine may take a while to get there.
    await page.clock.install({ time: arrived - 60_000 });
    await page.clock.pauseAt(arrived);
    await page.goto(`/#/inbox/${address}`);
    const expiry = page.locator('.message-row', { hasText: 'Short-lived' }).locator('.row-expiry');
    await expect.poll(() => expiry.textContent()).toBe(`expires in ${inUnit(1, 'minute')} ${inUnit(30, 'second')}`);
    await expect.poll(() => page.locator('#retention').textContent())
      .toBe(`Mail is kept for ${inUnit(90, 'second', 'long')} after it arrives, then deleted for good.`);

    await page.clock.runFor(5_000);
    await expect.poll(() => expiry.textContent()).toBe(`expires in ${inUnit(1, 'minute')} ${inUnit(25, 'second')}`);

    // The open message's field counts down too.
    await page.locator('.message-row a').click();
    const field = page.locator('.message-fields .live-expiry');
    await expect.poll(() => field.textContent()).toBe(`in ${inUnit(1, 'minute')} ${inUnit(25, 'second')}`);
    await page.clock.runFor(1_000);
    await expect.poll(() => field.textContent()).toBe(`in ${inUnit(1, 'minute')} ${inUnit(24, 'second')}`);
    await expect.poll(() => expiry.textContent()).toBe(`expires in ${inUnit(1, 'minute')} ${inUnit(24, 'second')}`);

    await page.clock.runFor(83_000);
    await expect.poll(() => expiry.textContent()).toBe(`expires in ${inUnit(1, 'second')}`);
    // At 90 s the page's own timer takes the row away, whatever the socket says.
    await page.clock.runFor(1_000);
    await expect.poll(() => page.locator('.message-row').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
