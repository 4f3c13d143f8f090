import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/**
 * Several addresses in one browser (issue 22, point 2): "New address" and
 * "Choose a name" no longer replace the address on show but add to a list,
 * each address with its unread count, kept live for the ones not on show,
 * one click to switch and a way to forget one. And the domain of new
 * addresses (point 6), where the server takes several.
 */

// Counts of addresses not on show are refreshed every 15 s (public/js/address/refresh-schedule.js), so a change may take that long.
const COUNT_POLL = { timeout: 30_000 };

/** The rows of the address list, in order: each address, whether it is current, and its count as drawn and as read out. */
function savedRows(page: Page) {
  return page.locator('#saved-list > li').evaluateAll((items) => items.map((item) => {
    const badge = item.querySelector('.saved-unread');
    const shown = badge instanceof HTMLElement && !badge.hidden;
    return {
      address: item.querySelector('.saved-address')?.textContent ?? '',
      current: item.querySelector('a')?.getAttribute('aria-current') === 'true',
      unread: shown ? badge.querySelector('[aria-hidden="true"]')?.textContent ?? '' : null,
      spoken: shown ? badge.querySelector('.visually-hidden')?.textContent ?? '' : null,
    };
  }));
}

const listShown = (page: Page) => page.locator('#saved-addresses').isVisible();
const hash = (page: Page) => new URL(page.url()).hash;
const announced = (page: Page) => page.locator('#announcer').textContent();

/** Presses "New address" and waits for the address it makes. */
async function pressNewAddress(page: Page): Promise<string> {
  const before = await shownAddress(page);
  await page.locator('#new-address').click();
  await page.waitForFunction((old) => !document.getElementById('address')?.textContent?.includes(old), before);
  return shownAddress(page);
}

/** What this browser keeps of its own addresses and read marks. */
const stored = (page: Page) => page.evaluate(() => ({
  own: (JSON.parse(localStorage.getItem('ephemail:own') ?? '[]') as { address: string }[]).map((entry) => entry.address),
  read: Object.keys(JSON.parse(localStorage.getItem('ephemail:read') ?? '{}') as object),
}));

describeBrowser('web inbox: several addresses in one browser', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const send = (to: string, subject: string) => harness.send({ to, subject, text: `About ${subject}.` });

  it('lists the earlier address after "New address", the new one current, and keeps the list across a reload', async () => {
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const first = await shownAddress(page);
    // One address: nothing to list, and one domain: nothing to pick.
    expect(await listShown(page)).toBe(false);
    expect(await page.locator('#domain-choice').isVisible()).toBe(false);

    const second = await pressNewAddress(page);
    expect(await listShown(page)).toBe(true);
    await expect(page.locator('#saved-title').textContent()).resolves.toBe('Your addresses in this browser');
    expect((await savedRows(page)).map(({ address, current }) => ({ address, current }))).toEqual([
      { address: second, current: true },
      { address: first, current: false },
    ]);

    await page.getByRole('button', { name: 'Choose a name' }).click();
    await page.getByLabel('Name', { exact: true }).pressSequentially('several-1');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.waitForFunction(() => document.getElementById('address')?.textContent === 'several-1@ephemail.test');
    expect((await savedRows(page)).map(({ address, current }) => ({ address, current }))).toEqual([
      { address: 'several-1@ephemail.test', current: true },
      { address: second, current: false },
      { address: first, current: false },
    ]);

    await page.reload();
    expect(await shownAddress(page)).toBe('several-1@ephemail.test');
    await expect.poll(async () => (await savedRows(page)).map((row) => row.address)).toEqual(['several-1@ephemail.test', second, first]);
    expect(consoleErrors).toEqual([]);
  });

  it('counts mail to an address not on show as it arrives, switches in one click, and clears the count as mail is read', { timeout: 120_000 }, async () => {
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const first = await shownAddress(page);
    const second = await pressNewAddress(page);
    const rowOf = async (address: string) => (await savedRows(page)).find((row) => row.address === address);

    await send(first, 'Elsewhere one');
    await expect.poll(async () => (await rowOf(first))?.unread, COUNT_POLL).toBe('1');
    await send(first, 'Elsewhere two');
    await expect.poll(async () => (await rowOf(first))?.spoken, COUNT_POLL).toBe('2 unread messages');
    expect((await rowOf(first))?.unread).toBe('2');
    // The inbox on show stayed where it was, and counts from its own live list.
    expect(await shownAddress(page)).toBe(second);
    await send(second, 'Here');
    await page.locator('.message-row', { hasText: 'Here' }).waitFor();
    await expect.poll(async () => (await rowOf(second))?.unread).toBe('1');

    await page.locator('#saved-list a', { hasText: first }).click();
    await expect.poll(() => shownAddress(page)).toBe(first);
    expect(hash(page)).toBe(`#/inbox/${first}`);
    await page.locator('.message-row', { hasText: 'Elsewhere one' }).waitFor();
    await page.locator('.message-row', { hasText: 'Elsewhere two' }).waitFor();
    expect((await rowOf(first))?.current).toBe(true);
    expect((await rowOf(second))?.current).toBe(false);
    // The address left keeps its count.
    expect((await rowOf(second))?.unread).toBe('1');

    await page.locator('.message-row', { hasText: 'Elsewhere one' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Elsewhere one' }).waitFor();
    await expect.poll(async () => (await rowOf(first))?.unread).toBe('1');
    await page.goBack();
    await page.locator('.message-row', { hasText: 'Elsewhere two' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Elsewhere two' }).waitFor();
    await expect.poll(async () => (await rowOf(first))?.unread).toBeNull();
    expect(consoleErrors).toEqual([]);
  });

  it('switches by keyboard alone, and fits a 360 px screen', async () => {
    const page = await harness.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto('/');
    const first = await shownAddress(page);
    const second = await pressNewAddress(page);
    await page.locator('#choose-name').focus();
    // Past "Choose a name" come the rows: each address's link, then its forget button.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).resolves.toBe('true');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(`Forget ${second}`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain(first);
    await page.keyboard.press('Enter');
    await expect.poll(() => shownAddress(page)).toBe(first);
    // The link pressed keeps focus, now marked as the current one.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).resolves.toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('forgets an address after saying what that does, for good, with its read marks', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    await page.goto('/');
    const first = await shownAddress(page);
    await send(first, 'Read before forgetting');
    await page.locator('.message-row', { hasText: 'Read before forgetting' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Read before forgetting' }).waitFor();
    const second = await pressNewAddress(page);
    const third = await pressNewAddress(page);
    expect((await stored(page)).read).toContain(first);

    await page.getByRole('button', { name: `Forget ${first}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Forget this address?' });
    await expect(dialog.textContent()).resolves.toContain(`${first} will no longer be listed in this browser`);
    await expect(dialog.textContent()).resolves.toContain('Its mail is not deleted: it stays on the server until it expires');
    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await savedRows(page)).map((row) => row.address)).toEqual([third, second, first]);

    await page.getByRole('button', { name: `Forget ${first}` }).click();
    await dialog.getByRole('button', { name: 'Forget', exact: true }).click();
    await expect.poll(async () => (await savedRows(page)).map((row) => row.address)).toEqual([third, second]);
    await expect.poll(() => announced(page)).toBe(`${first} is forgotten in this browser; its mail stays on the server until it expires.`);
    // Focus goes to the row beside the one forgotten.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain(second);
    expect(await stored(page)).toEqual({ own: [second, third], read: [] });

    await page.reload();
    // The list is drawn once the page's modules have loaded, a moment after the reload resolves.
    await expect.poll(async () => (await savedRows(page)).map((row) => row.address)).toEqual([third, second]);
    // Its mail is still there, for anyone with the address, now as an address from a link.
    const again = await context.newPage();
    await again.goto(`/#/inbox/${first}`);
    await again.locator('.message-row', { hasText: 'Read before forgetting' }).waitFor();
    expect(await again.locator('#link-note').isVisible()).toBe(true);
  });

  it('forgetting the address on show opens the newest one left', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    const first = await shownAddress(page);
    const second = await pressNewAddress(page);

    await page.getByRole('button', { name: `Forget ${second}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Forget', exact: true }).click();
    await expect.poll(() => shownAddress(page)).toBe(first);
    expect(hash(page)).toBe(`#/inbox/${first}`);
    expect(await page.locator('#link-note').isVisible()).toBe(false);
    expect(await listShown(page)).toBe(false);
    expect((await stored(page)).own).toEqual([first]);
    await page.reload();
    expect(await shownAddress(page)).toBe(first);
  });

  it('follows an address forgotten in another tab: going back to it does not save it again', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    const first = await shownAddress(page);
    const second = await pressNewAddress(page);

    // The other tab shares this browser's storage, and forgets the address on show here.
    const other = await page.context().newPage();
    await other.goto(`/#/inbox/${first}`);
    await expect.poll(() => shownAddress(other)).toBe(first);
    await other.getByRole('button', { name: `Forget ${second}` }).click();
    await other.getByRole('dialog').getByRole('button', { name: 'Forget', exact: true }).click();
    await expect.poll(async () => (await stored(page)).own).toEqual([first]);

    // Here it is now shown as any link's inbox, and leaving and coming back keeps it forgotten.
    await expect.poll(() => page.locator('#link-note').isVisible()).toBe(true);
    await page.goto(`/#/inbox/${first}`);
    await expect.poll(() => shownAddress(page)).toBe(first);
    await page.goBack();
    await expect.poll(() => shownAddress(page)).toBe(second);
    expect((await stored(page)).own).toEqual([first]);
    expect(await page.locator('#link-note').isVisible()).toBe(true);
  });

  it('lists an address that came by link only once it is kept', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    await page.goto('/');
    const own = await shownAddress(page);
    const other = await harness.newInbox();

    const linked = await context.newPage();
    await linked.goto(`/#/inbox/${other}`);
    expect(await shownAddress(linked)).toBe(other);
    // Listed: the own address, to go back to; not the one from the link, and nothing is current.
    expect(await savedRows(linked)).toEqual([{ address: own, current: false, unread: null, spoken: null }]);

    await linked.getByRole('button', { name: 'Keep this address' }).click();
    expect((await savedRows(linked)).map(({ address, current }) => ({ address, current }))).toEqual([
      { address: other, current: true },
      { address: own, current: false },
    ]);
  });
});

describeBrowser('web inbox: the domain of new addresses', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness(['--domains', 'ephemail.test,second.test']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('uses the domain picked beside "New address", remembers it, and preselects it for a chosen name', async () => {
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    expect(await shownAddress(page)).toMatch(/@ephemail\.test$/);
    const menu = page.getByLabel('Domain for new addresses');
    await expect(menu.locator('option').allTextContents()).resolves.toEqual(['@ephemail.test', '@second.test']);
    expect(await menu.inputValue()).toBe('ephemail.test');

    await menu.selectOption('second.test');
    const made = await pressNewAddress(page);
    expect(made).toMatch(/^[a-z0-9-]+@second\.test$/);

    await page.reload();
    expect(await shownAddress(page)).toBe(made);
    await expect.poll(() => menu.inputValue()).toBe('second.test');
    await page.getByRole('button', { name: 'Choose a name' }).click();
    await expect.poll(() => page.getByLabel('Domain', { exact: true }).inputValue()).toBe('second.test');
    expect(consoleErrors).toEqual([]);
  });
});
