import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { ApiMessageList } from '../../src/http/api/types.js';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/** What the page did that a person would see or hear outside it, as the init script records it. */
interface Recorded {
  notifications: { title: string; body: string; tag: string }[];
  permissionRequests: number;
  tones: number;
}

interface TestWindow {
  test: Recorded & { last: Notification | null; setHidden(hidden: boolean): void };
}

/**
 * Runs in the page before its own scripts: a tab that can be hidden on
 * demand (headless Chromium never hides one), and records of notifications
 * made, permission asked for and tones started, each still done for real.
 */
function recordAlerts(): void {
  let hidden = false;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  const test: TestWindow['test'] = {
    notifications: [],
    permissionRequests: 0,
    tones: 0,
    last: null,
    setHidden(value) {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
  (window as unknown as TestWindow).test = test;
  const RealNotification = window.Notification;
  const requestPermission = RealNotification.requestPermission.bind(RealNotification);
  class RecordedNotification extends RealNotification {
    static override requestPermission(): Promise<NotificationPermission> {
      test.permissionRequests++;
      return requestPermission();
    }

    constructor(title: string, options: NotificationOptions = {}) {
      super(title, options);
      test.notifications.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
      test.last = this;
    }
  }
  window.Notification = RecordedNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function startRecorded(...args: Parameters<typeof start>) {
    test.tones++;
    return start.apply(this, args);
  };
}

/**
 * The alerts a person may turn on, in Chromium against a real server: the
 * tab's title and icon, a notification while the tab is hidden (permission
 * granted, and refused), and the sound.
 */
describeBrowser('web inbox: alerts of new mail', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function openInbox(options: BrowserContextOptions = {}): Promise<{ page: Page; address: string; errors: string[] }> {
    const context = await harness.newContext(options);
    await context.addInitScript(recordAlerts);
    const page = await context.newPage();
    const errors = watchConsoleErrors(page);
    await page.goto('/');
    const address = await shownAddress(page);
    // Live: from here on mail is pushed, so it arrives while the tab is hidden.
    await page.locator('#connection[data-state="live"]').waitFor();
    return { page, address, errors };
  }

  const recorded = (page: Page) => page.evaluate((): Recorded => {
    const { notifications, permissionRequests, tones } = (window as unknown as TestWindow).test;
    return { notifications, permissionRequests, tones };
  });
  const setHidden = (page: Page, hidden: boolean) => page.evaluate((value) => (window as unknown as TestWindow).test.setHidden(value), hidden);
  const favicon = (page: Page) => page.locator('#favicon').getAttribute('href');
  const idOf = async (address: string, subject: string) => {
    const response = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const message = (await response.json() as ApiMessageList).messages.find((summary) => summary.subject === subject);
    if (message === undefined) throw new Error(`"${subject}" did not arrive`);
    return message.id;
  };

  it('shows unread mail in the title and as a badge on the icon while the tab is hidden, and drops both once read', async () => {
    const { page, address, errors } = await openInbox();
    expect(await favicon(page)).toBe('/favicon.svg');
    await setHidden(page, true);
    await harness.send({ to: address, subject: 'While you were away', text: 'Hello.' });
    await expect.poll(() => page.title()).toBe('(1) Ephemail — disposable inbox');
    const badged = await favicon(page) ?? '';
    expect(badged).toMatch(/^data:image\/svg\+xml,/);
    // A picture the page's policy lets it draw, with no request made for it.
    await expect(page.evaluate((href) => new Promise<number>((resolve) => {
      const image = new Image();
      image.onload = () => resolve(image.naturalWidth);
      image.onerror = () => resolve(0);
      image.src = href;
    }), badged)).resolves.toBeGreaterThan(0);
    await harness.send({ to: address, subject: 'Another one', text: 'Hello again.' });
    await expect.poll(() => page.title()).toBe('(2) Ephemail — disposable inbox');

    await setHidden(page, false);
    for (const subject of ['While you were away', 'Another one']) {
      await page.locator('.message-row', { hasText: subject }).locator('a').click();
      await page.locator('.message-subject', { hasText: subject }).waitFor();
    }
    await expect.poll(() => page.title()).toBe('Ephemail — disposable inbox');
    expect(await favicon(page)).toBe('/favicon.svg');
    expect(errors).toEqual([]);
  });

  it('notifies of mail while the tab is hidden, once turned on, with the subject and the sender\'s name only; a click opens it', async () => {
    const { page, address, errors } = await openInbox({ permissions: ['notifications'] });
    const button = page.getByRole('button', { name: 'Notifications', exact: true });
    await expect(button.getAttribute('aria-pressed')).resolves.toBe('false');
    // Off until the person turns it on, even with the permission granted and the tab hidden.
    await setHidden(page, true);
    await harness.send({ to: address, subject: 'Before turning on', text: 'Not notified.' });
    await page.locator('.message-row', { hasText: 'Before turning on' }).waitFor();
    await setHidden(page, false);
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');

    // A tab in view shows its mail itself.
    await harness.send({ to: address, subject: 'In plain view', text: 'Not notified either.' });
    await page.locator('.message-row', { hasText: 'In plain view' }).waitFor();
    expect((await recorded(page)).notifications).toEqual([]);
    await setHidden(page, true);
    await harness.send({
      to: address,
      from: 'Acme Billing <billing@acme.example>',
      subject: 'Your invoice is ready',
      text: 'Account 551-204, amount due 93.10. Secret body text.',
    });
    await expect.poll(async () => (await recorded(page)).notifications.length).toBe(1);
    const id = await idOf(address, 'Your invoice is ready');
    const { notifications, permissionRequests } = await recorded(page);
    expect(notifications).toEqual([{ title: 'Your invoice is ready', body: 'From Acme Billing', tag: id }]);
    expect(JSON.stringify(notifications)).not.toMatch(/@|Secret|551-204/);
    // Granted beforehand (by the test, as by an earlier visit): the press turns it on without asking again.
    expect(permissionRequests).toBe(0);

    await page.evaluate(() => (window as unknown as TestWindow).test.last?.dispatchEvent(new Event('click')));
    await page.locator('.message-subject', { hasText: 'Your invoice is ready' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/inbox/${address}/${id}`);

    // Remembered in this browser: on again after a reload, without asking again.
    await page.reload();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect((await recorded(page)).permissionRequests).toBe(0);

    // Sign-up mail often names the address in its subject: the key to the inbox never reaches a lock screen.
    await setHidden(page, true);
    await harness.send({ to: address, subject: `Confirm ${address.toUpperCase()} now`, text: 'Welcome.' });
    await expect.poll(async () => (await recorded(page)).notifications.length).toBe(1);
    expect((await recorded(page)).notifications[0]?.title).toBe('Confirm … now');
    expect(errors).toEqual([]);
  });

  it('asks for permission on the press only, and says notifications are blocked when the browser refuses', async () => {
    const { page } = await openInbox();
    const button = page.locator('#alert-notify');
    expect(await page.evaluate(() => Notification.permission)).toBe('default');
    await expect(button.textContent()).resolves.toContain('Notifications');
    expect((await recorded(page)).permissionRequests).toBe(0);

    // Headless Chromium answers the request "denied", as a person who refuses the prompt does.
    await button.click();
    await expect.poll(() => page.locator('#alert-blocked').textContent())
      .toBe('This browser blocks notifications from this page. Allow them in its site settings, then press the button again.');
    expect((await recorded(page)).permissionRequests).toBe(1);
    await expect(button.textContent()).resolves.toContain('Notifications blocked');
    await expect(button.getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await page.evaluate(() => localStorage.getItem('ephemail:alerts'))).toBe('{"notify":false,"sound":false}');

    // After a reload the button still says so, and nothing is asked.
    await page.reload();
    await expect.poll(() => button.textContent()).toContain('Notifications blocked');
    await expect(page.locator('#alert-blocked').textContent()).resolves.toBe('');
    expect((await recorded(page)).permissionRequests).toBe(0);
  });

  it('plays a soft tone on new mail only when the sound is on', async () => {
    const { page, address, errors } = await openInbox();
    const sound = page.getByRole('button', { name: 'Sound', exact: true });
    await expect(sound.getAttribute('aria-pressed')).resolves.toBe('false');
    await harness.send({ to: address, subject: 'Quietly', text: 'No sound.' });
    await page.locator('.message-row', { hasText: 'Quietly' }).waitFor();
    expect((await recorded(page)).tones).toBe(0);

    await sound.click();
    await expect.poll(() => sound.getAttribute('aria-pressed')).toBe('true');
    // The press plays it once, so the person hears what it sounds like.
    const chime = (await recorded(page)).tones;
    expect(chime).toBeGreaterThan(0);
    await harness.send({ to: address, subject: 'Out loud', text: 'A chime.' });
    await page.locator('.message-row', { hasText: 'Out loud' }).waitFor();
    await expect.poll(async () => (await recorded(page)).tones).toBe(2 * chime);

    await sound.click();
    await expect.poll(() => sound.getAttribute('aria-pressed')).toBe('false');
    await harness.send({ to: address, subject: 'Quiet again', text: 'No sound.' });
    await page.locator('.message-row', { hasText: 'Quiet again' }).waitFor();
    expect((await recorded(page)).tones).toBe(2 * chime);
    expect(errors).toEqual([]);
  });
});
