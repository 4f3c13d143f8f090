import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/**
 * A link may name an inbox its sender reads (issue 19, finding 4): the page
 * shows it for the visit, marked as not made in this browser, and never
 * saves it as the visitor's own, so coming back tomorrow opens their own
 * address, not the sender's. Only "Keep this address" makes it theirs.
 */
describeBrowser('web inbox: addresses that arrive by link', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** An address made through the API, as an attacker would make the one they send around. */
  const othersInbox = () => harness.newInbox();
  const send = (to: string, subject: string) => harness.send({ to, subject, text: `About ${subject}.` });

  /** The address this browser will open next time, as the page saved it. */
  const savedAddress = (page: Page) => page.evaluate(() => {
    const stored = localStorage.getItem('ephemail:inbox');
    return stored === null ? null : (JSON.parse(stored) as { address: string }).address;
  });
  const linkNoteShown = (page: Page) => page.locator('#link-note').isVisible();
  const label = (page: Page) => page.locator('#address-label').textContent();
  const announced = (page: Page) => page.locator('#announcer').textContent();

  /** A browser that already has an address of its own, and that address. */
  async function visitorWithOwnAddress(): Promise<{ context: BrowserContext; page: Page; own: string }> {
    const context = await harness.newContext();
    const page = await context.newPage();
    await page.goto('/');
    const own = await shownAddress(page);
    expect(await savedAddress(page)).toBe(own);
    return { context, page, own };
  }

  it.each([
    ['a hash link', (address: string) => `/#/inbox/${address}`],
    ['a path link', (address: string) => `/inbox/${address}`],
  ])('shows the inbox %s names for this visit, marked, and leaves the own address saved', async (_kind, link) => {
    const { context, own } = await visitorWithOwnAddress();
    const other = await othersInbox();
    await send(other, 'Seen through the link');

    const linked = await context.newPage();
    const consoleErrors = watchConsoleErrors(linked);
    await linked.goto(link(other));
    expect(await shownAddress(linked)).toBe(other);
    await linked.locator('.message-row', { hasText: 'Seen through the link' }).waitFor();
    expect(await linkNoteShown(linked)).toBe(true);
    const note = await linked.locator('#link-note').textContent();
    expect(note).toContain('Opened from a link.');
    expect(note).toContain('This address was not made in this browser, and anyone who has the link can read this inbox.');
    expect(await label(linked)).toBe('Address from a link');
    await expect(linked.locator('#own-inbox').textContent()).resolves.toBe('Back to my inbox');
    // Learning the retention once wrote the linked inbox back to storage; it must not now.
    await expect.poll(() => linked.locator('#retention').textContent()).toContain('1 hour');
    expect(await savedAddress(linked)).toBe(own);

    const reopened = await context.newPage();
    await reopened.goto('/');
    expect(await shownAddress(reopened)).toBe(own);
    expect(await linkNoteShown(reopened)).toBe(false);
    expect(await label(reopened)).toBe('Your temporary address');
    expect(consoleErrors).toEqual([]);
  });

  it('treats a link followed in the open page alike, and one click goes back to the own inbox', async () => {
    const { page, own } = await visitorWithOwnAddress();
    const other = await othersInbox();
    await page.evaluate((address) => {
      location.hash = `#/inbox/${address}`;
    }, other);
    await expect.poll(() => shownAddress(page)).toBe(other);
    expect(await linkNoteShown(page)).toBe(true);
    expect(await savedAddress(page)).toBe(own);

    await page.getByRole('button', { name: 'Back to my inbox' }).click();
    await expect.poll(() => shownAddress(page)).toBe(own);
    expect(new URL(page.url()).hash).toBe(`#/inbox/${own}`);
    expect(await linkNoteShown(page)).toBe(false);
    await expect.poll(() => announced(page)).toBe(`Back to your inbox: ${own}`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('copy-address');
  });

  it('makes a linked address the own one only when asked to keep it', async () => {
    const { context, own } = await visitorWithOwnAddress();
    const other = await othersInbox();
    const linked = await context.newPage();
    await linked.goto(`/#/inbox/${other}`);
    expect(await shownAddress(linked)).toBe(other);

    await linked.getByRole('button', { name: 'Keep this address' }).click();
    expect(await linkNoteShown(linked)).toBe(false);
    expect(await label(linked)).toBe('Your temporary address');
    expect(await savedAddress(linked)).toBe(other);
    await expect.poll(() => announced(linked)).toBe('This address is now yours: this browser opens it next time.');

    const reopened = await context.newPage();
    await reopened.goto('/');
    expect(await shownAddress(reopened)).toBe(other);
    expect(await linkNoteShown(reopened)).toBe(false);
    // The address this browser made before is still recognised as its own when a link names it.
    const former = await context.newPage();
    await former.goto(`/#/inbox/${own}`);
    expect(await shownAddress(former)).toBe(own);
    expect(await linkNoteShown(former)).toBe(false);
  });

  it('saves nothing when the first visit comes through a link, and offers an address of its own', async () => {
    const context = await harness.newContext();
    const other = await othersInbox();
    const page = await context.newPage();
    await page.goto(`/inbox/${other}`);
    expect(await shownAddress(page)).toBe(other);
    expect(await linkNoteShown(page)).toBe(true);
    expect(await savedAddress(page)).toBeNull();

    await page.getByRole('button', { name: 'Get my own address' }).click();
    await page.waitForFunction((old) => !document.getElementById('address')?.textContent?.includes(old), other);
    const mine = await shownAddress(page);
    expect(mine).toMatch(/^[a-z0-9-]+@ephemail\.test$/);
    expect(await linkNoteShown(page)).toBe(false);
    expect(await savedAddress(page)).toBe(mine);

    const reopened = await context.newPage();
    await reopened.goto('/');
    expect(await shownAddress(reopened)).toBe(mine);
  });

  it('shows no link note for the addresses the page makes itself, after a reload too', async () => {
    const { page, own: first } = await visitorWithOwnAddress();
    expect(await linkNoteShown(page)).toBe(false);

    await page.locator('#new-address').click();
    await page.waitForFunction((old) => !document.getElementById('address')?.textContent?.includes(old), first);
    const second = await shownAddress(page);
    expect(await linkNoteShown(page)).toBe(false);

    await page.getByRole('button', { name: 'Choose a name' }).click();
    await page.getByLabel('Name', { exact: true }).pressSequentially('link-test');
    await page.getByRole('button', { name: 'Use this name' }).click();
    await page.waitForFunction(() => document.getElementById('address')?.textContent === 'link-test@ephemail.test');
    expect(await linkNoteShown(page)).toBe(false);
    await expect(page.locator('#public-note').isVisible()).resolves.toBe(true);
    expect(await savedAddress(page)).toBe('link-test@ephemail.test');

    // After a reload only storage knows the earlier addresses were made here; Back still treats them as own.
    await page.reload();
    await page.goBack();
    await expect.poll(() => shownAddress(page)).toBe(second);
    expect(await linkNoteShown(page)).toBe(false);
    expect(await savedAddress(page)).toBe(second);
    await page.goBack();
    await expect.poll(() => shownAddress(page)).toBe(first);
    expect(await linkNoteShown(page)).toBe(false);
    expect(await savedAddress(page)).toBe(first);
  });
});
