import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiMessageList } from '../../src/http/api/types.js';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/**
 * The page's own controls and its URL in Chromium: New address with Back and
 * Forward, delete and empty with what they announce and where focus goes,
 * stray fragments, deep links to a message, and an address the server
 * refuses.
 */
describeBrowser('web inbox: controls and URL', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const send = (to: string, subject: string) => harness.send({ to, subject, text: `About ${subject}.` });

  const announced = (page: Page) => page.locator('#announcer').textContent();
  const hash = (page: Page) => new URL(page.url()).hash;

  it('makes a new address on request, and Back and Forward move between the two', async () => {
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const first = await shownAddress(page);
    await page.locator('#new-address').click();
    await page.waitForFunction((old) => !document.getElementById('address')?.textContent?.includes(old), first);
    const second = await shownAddress(page);
    expect(second).not.toBe(first);
    expect(hash(page)).toBe(`#/inbox/${second}`);
    await expect.poll(() => announced(page)).toBe(`New address: ${second}`);

    await page.goBack();
    await expect.poll(() => shownAddress(page)).toBe(first);
    await page.goForward();
    await expect.poll(() => shownAddress(page)).toBe(second);
    // A stray fragment leaves the person where they were.
    await page.evaluate(() => {
      location.hash = '#top';
    });
    await expect.poll(() => hash(page)).toBe(`#/inbox/${second}`);
    expect(consoleErrors).toEqual([]);
  });

  it('deletes a message and empties the inbox, saying so and keeping focus in the list', async () => {
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const address = await shownAddress(page);
    await send(address, 'First');
    await send(address, 'Second');
    await page.locator('.message-row', { hasText: 'First' }).waitFor();
    await page.locator('.message-row', { hasText: 'Second' }).waitFor();
    // The heading says the count in words; the number drawn beside it is hidden from screen readers.
    await expect(page.getByRole('heading', { name: 'Inbox 2 messages, 2 unread', exact: true }).count()).resolves.toBe(1);
    expect(await page.title()).toBe('(2) Ephemail — disposable inbox');

    await page.locator('.message-row', { hasText: 'First' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'First' }).waitFor();
    expect(await page.title()).toBe('(1) Ephemail — disposable inbox');
    await page.goBack();
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    // Closing a message hands focus back to its row.
    await expect(page.evaluate(() => document.activeElement?.closest('.message-row')?.textContent)).resolves.toContain('First');

    await page.goForward();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    expect(hash(page)).toBe(`#/inbox/${address}`);
    await expect.poll(() => announced(page)).toBe('Message deleted.');
    await expect(page.locator('.message-row').count()).resolves.toBe(1);

    await page.locator('.message-row', { hasText: 'Second' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Second' }).waitFor();
    await page.locator('#empty-inbox').click();
    await page.locator('#confirm-ok').click();
    await expect.poll(() => announced(page)).toBe('Inbox emptied.');
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    await expect(page.locator('.message-row').count()).resolves.toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('inbox-heading');
    await expect(page.locator('#empty-inbox').isHidden()).resolves.toBe(true);
    expect(await page.title()).toBe('Ephemail — disposable inbox');
    expect(consoleErrors).toEqual([]);
  });

  it('opens a path link to a message as the hash form of the same message', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    const address = await shownAddress(page);
    await send(address, 'Deep link');
    const listed = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const [message] = (await listed.json() as ApiMessageList).messages;
    if (message === undefined) throw new Error('the message did not arrive');

    const other = await harness.newPage();
    await other.goto(`/inbox/${address}/${message.id}`);
    await other.locator('.message-subject', { hasText: 'Deep link' }).waitFor();
    expect(new URL(other.url()).pathname).toBe('/');
    expect(hash(other)).toBe(`#/inbox/${address}/${message.id}`);
    // A browser that never made this address learns how long its mail is kept.
    await expect.poll(() => other.locator('#retention').textContent()).toContain('1 hour');
  });

  it('says why an address can never receive mail, and stops trying', async () => {
    const page = await harness.newPage();
    await page.goto('/#/inbox/two%20words@ephemail.test');
    await page.locator('#address-error').waitFor();
    await expect(page.locator('#address-error').textContent()).resolves.toContain('Press “New address” to get one that works.');
    await page.locator('#connection[data-state="stopped"]').waitFor();
    await expect(page.locator('#connection-text').textContent()).resolves.toBe('Offline');
  });
});
