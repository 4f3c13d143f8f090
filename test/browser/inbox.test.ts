import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/**
 * The web inbox's promise, end to end in Chromium against a real server:
 * an address on first visit that the browser keeps, mail over real SMTP
 * showing up by itself, the code one click from the clipboard, live
 * validation of chosen names, and a 360 px layout that does not scroll
 * sideways.
 */
describeBrowser('web inbox', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const send = (to: string, fields: { subject: string; text: string; html?: string; from?: string }) => harness.send({ to, ...fields });
  const newInbox = () => harness.newInbox();

  it('serves the page with its security headers', async () => {
    const response = await fetch(`${harness.server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('creates an address on the first visit and keeps it across reloads and tabs', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const address = await shownAddress(page);
    expect(address).toMatch(/^[a-z0-9-]+@ephemail\.test$/);
    expect(new URL(page.url()).hash).toBe(`#/inbox/${address}`);
    const stored = await page.evaluate(() => localStorage.getItem('ephemail:inbox'));
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ address });

    await page.reload();
    expect(await shownAddress(page)).toBe(address);

    // A second tab opened at the bare URL finds the same inbox.
    const second = await context.newPage();
    await second.goto('/');
    expect(await shownAddress(second)).toBe(address);
    expect(new URL(second.url()).hash).toBe(`#/inbox/${address}`);
    await expect(second.locator('#retention').textContent()).resolves.toContain('1 hour');
    // Nothing was refused by the page's CSP, and no script failed.
    expect(consoleErrors).toEqual([]);
  });

  it('opens the inbox a link names, even in a browser that has never seen it', async () => {
    const address = await newInbox();
    await send(address, { subject: 'Already here', text: 'Sent before the page opened.' });
    const page = await harness.newPage();
    await page.goto(`/inbox/${address}`);
    expect(await shownAddress(page)).toBe(address);
    await page.locator('.message-row', { hasText: 'Already here' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/inbox/${address}`);
  });

  // How soon is test/load/live-arrival.test.ts's to say: a time, so measured with the machine to itself.
  it('shows mail sent over SMTP by itself: pushed, without a reload or a request', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    const address = await shownAddress(page);
    // Live means the socket said hello: from here on, arrivals are pushed.
    await page.locator('#connection[data-state="live"]').waitFor();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await send(address, { subject: 'Live arrival', text: 'Your code is 731904.' });
    await page.locator('.message-row', { hasText: 'Live arrival' }).waitFor();
    expect(requests).toEqual([]);
    await expect(page.locator('.message-row.is-unread').count()).resolves.toBe(1);
    await expect.poll(() => page.locator('#announcer').textContent()).toContain('Live arrival');
  });

  it('copies the verification code from the message and from the list', async () => {
    const address = await newInbox();
    await send(address, { subject: 'Confirm your email', text: 'Your verification code is 482913. It expires in 10 minutes.' });
    const page = await harness.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`/#/inbox/${address}`);
    const row = page.locator('.message-row', { hasText: 'Confirm your email' });
    await row.waitFor();

    await row.locator('.code-chip').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('482913');

    await page.evaluate(() => navigator.clipboard.writeText(''));
    await row.locator('a').click();
    await expect(page.locator('.code-value').textContent()).resolves.toBe('482913');
    await page.getByRole('button', { name: 'Copy code', exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('482913');
    await page.getByRole('button', { name: 'Copied' }).waitFor();

    // Opening it marked it read, and the mark survives a reload.
    await page.goto(`/#/inbox/${address}`);
    await page.reload();
    await row.waitFor();
    await expect(row.getAttribute('class')).resolves.not.toContain('is-unread');
  });

  it('explains each invalid name as it is typed, and uses a valid one', async () => {
    const page = await harness.newPage();
    await page.goto('/');
    await shownAddress(page);
    await page.getByRole('button', { name: 'Choose a name' }).click();
    const input = page.getByLabel('Name', { exact: true });
    const feedback = page.locator('#name-feedback');
    await expect(page.locator('#name-warning').textContent()).resolves.toContain('Anyone who types the same name can read this inbox');

    await input.pressSequentially('ж');
    await page.waitForFunction(() => document.getElementById('name-feedback')?.dataset.state === 'error');
    expect(await feedback.textContent()).toContain('Cyrillic letters');
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');

    await input.fill('');
    await input.pressSequentially('my name');
    await page.waitForFunction(() => /space/.test(document.getElementById('name-feedback')?.textContent ?? ''));
    expect(await feedback.textContent()).toContain('A space is not allowed');

    await input.fill('');
    await input.pressSequentially('qa.team-7');
    await page.waitForFunction(() => document.getElementById('name-feedback')?.dataset.state === 'ok');
    await input.press('Enter');
    await page.waitForFunction(() => document.getElementById('address')?.textContent === 'qa.team-7@ephemail.test');
    expect(new URL(page.url()).hash).toBe('#/inbox/qa.team-7@ephemail.test');
    await expect(page.locator('#public-note').isVisible()).resolves.toBe(true);
  });

  it('is usable by keyboard alone: Tab reaches the controls, Enter opens a message', async () => {
    const address = await newInbox();
    await send(address, { subject: 'Keyboard only', text: 'Code 5521.' });
    const page = await harness.newPage();
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row').waitFor();
    const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
    await page.keyboard.press('Tab'); // brand link
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('language');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('copy-address');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('show-qr');
    // Opened by link, so the link note's two choices come next.
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('own-inbox');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('keep-address');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('new-address');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('choose-name');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('alert-notify');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('alert-sound');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('empty-inbox');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('message-link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('message-subject') === true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keyboard only');
  });

  it('fits a 360 px screen without sideways scrolling, in the list and in a message', async () => {
    const address = await newInbox();
    await send(address, {
      subject: `A very long subject that goes on and on ${'and on '.repeat(20)}`,
      from: `${'Sender-with-a-very-long-name'.repeat(3)} <someone@${'long-domain-'.repeat(5)}example>`,
      text: `Your code is 918273. ${'https://example.com/a/very/long/link/that/never/breaks/'.repeat(4)} ${'x'.repeat(300)}`,
    });
    const page = await harness.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row').waitFor();
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await scrollWidth()).toBeLessThanOrEqual(360);

    await page.locator('.message-row a').click();
    await page.locator('.code-value').waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    for (const tab of ['Text', 'Headers']) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await scrollWidth()).toBeLessThanOrEqual(360);
    }
    // The toolbar's buttons are all on screen, none cut off.
    for (const name of ['Inbox', 'Download .eml', 'Delete']) {
      const box = await page.getByRole(name === 'Delete' ? 'button' : 'link', { name, exact: true }).boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
    }

    await page.goto(`/#/inbox/${address}`);
    await page.getByRole('button', { name: 'Choose a name' }).click();
    await page.getByLabel('Name', { exact: true }).pressSequentially('a-rather-long-name-for-a-small-screen');
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
  });
});
