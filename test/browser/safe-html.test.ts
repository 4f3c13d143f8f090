import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeHtmlCsp } from '../../src/sanitize/csp.js';
import { NEWSLETTER, PAYLOADS, readTags, render } from '../http/safe-html-support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'https://ephemail.test';

/**
 * The same documents in Chromium, whose HTML parser is the one that matters:
 * it must build exactly the elements the renderer wrote (no mXSS), nothing
 * may run, and nothing may load from elsewhere.
 */
describe.skipIf(!existsSync(CHROMIUM))('renderSafeHtml in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Serves `pages` (path -> [body, headers]) on ORIGIN; records every other request. */
  async function servePages(page: Page, pages: Map<string, [string, Record<string, string>]>, elsewhere: string[]): Promise<void> {
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      const served = url.origin === ORIGIN ? pages.get(url.pathname) : undefined;
      if (served !== undefined) {
        await route.fulfill({ body: served[0], headers: { 'content-type': 'text/html; charset=utf-8', ...served[1] } });
        return;
      }
      if (url.origin !== ORIGIN) elsewhere.push(url.href);
      await route.fulfill({ status: 404, body: '' });
    });
  }

  /** A page that records the dialogs it opens and the hosts other than ours it asks (servePages fills `elsewhere`). */
  async function watchedPage(): Promise<{ page: Page; dialogs: string[]; elsewhere: string[] }> {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return { page, dialogs, elsewhere: [] };
  }

  it('parses every output to the elements written, stably, with nothing run or fetched', async () => {
    const documents = [...Object.values(PAYLOADS), NEWSLETTER].map((html) => render(html).document);
    const { page, dialogs, elsewhere } = await watchedPage();
    // No CSP and no sandbox here: the sanitiser alone must hold.
    await servePages(page, new Map(documents.map((doc, i) => [`/doc/${i}`, [doc, {}]])), elsewhere);
    for (const [i, doc] of documents.entries()) {
      await page.goto(`${ORIGIN}/doc/${i}`);
      const parsed = await page.evaluate(() => {
        const html = document.documentElement.outerHTML;
        const reparsed = new DOMParser().parseFromString(html, 'text/html').documentElement.outerHTML;
        const elements = [...document.querySelectorAll('*')];
        return {
          stable: html === reparsed,
          foreign: elements.filter((el) => el.namespaceURI !== 'http://www.w3.org/1999/xhtml').length,
          names: elements.map((el) => el.localName).filter((name) => !['html', 'head', 'body', 'tbody'].includes(name)),
        };
      });
      const written = readTags(doc).map((tag) => tag.name).filter((name) => !['html', 'head', 'body', 'tbody'].includes(name));
      expect(parsed.stable, doc).toBe(true);
      expect(parsed.foreign).toBe(0);
      expect(parsed.names.sort(), doc).toEqual(written.sort());
    }
    expect(dialogs).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 60_000);

  it.each([false, true])('loads inline attachments under the CSP and sandbox (allowRemote: %s)', async (allowRemote) => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const attachments: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${ORIGIN}/api/attachments/`)) attachments.push(request.url());
    });
    const inbox = '<iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin" src="/message"></iframe>';
    const { document } = render(NEWSLETTER, { allowRemote });
    const csp = { 'content-security-policy': safeHtmlCsp({ allowRemote }) };
    await servePages(page, new Map([['/', [inbox, {}]], ['/message', [document, csp]]]), elsewhere);
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
    expect(attachments).toEqual([`${ORIGIN}/api/attachments/logo`]);
    const remoteImages = [
      'https://cdn.weeklybrew.example/paper.png',
      'https://cdn.weeklybrew.example/hero-bg.jpg',
      'https://cdn.weeklybrew.example/beans-1.jpg',
      'https://cdn.weeklybrew.example/beans-2.jpg',
      'https://track.weeklybrew.example/open.gif?u=abc123',
    ];
    expect(new Set(elsewhere)).toEqual(new Set(allowRemote ? remoteImages : []));
    await page.close();
  }, 30_000);

  it('runs nothing in the same-origin frame even without the sanitiser: the sandbox and CSP alone hold', async () => {
    const { page, dialogs, elsewhere } = await watchedPage();
    const steal = "parent.document.title='pwned';alert(1)";
    // Unsanitised: everything here would run, submit or navigate the page but for the sandbox and the CSP.
    const hostile = [
      `<script>${steal}</script>`,
      `<img src="x" onerror="${steal}">`,
      `<a id="js" href="javascript:${steal}">js</a>`,
      '<a id="top" href="/elsewhere" target="_top">top</a>',
      '<form action="/submitted"><button id="go">go</button></form>',
      `<meta http-equiv="refresh" content="0;url=javascript:${steal}">`,
      '<p style="height:900px">tall</p>',
    ].join('');
    const inbox = '<title>inbox</title><iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin" src="/message"></iframe>';
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await servePages(page, new Map([['/', [inbox, {}]], ['/message', [hostile, { 'content-security-policy': safeHtmlCsp({ allowRemote: false }) }]]]), elsewhere);
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
    const frame = page.frameLocator('iframe');
    for (const id of ['js', 'top', 'go']) await frame.locator(`#${id}`).click();
    // Proving a negative: a navigation or script the clicks set off is given a moment to show.
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.title()).toBe('inbox');
    expect(page.url()).toBe(`${ORIGIN}/`);
    expect(requested).not.toContain('/elsewhere');
    expect(requested).not.toContain('/submitted');
    // What same origin does give: the page reads the document's height.
    expect(await page.evaluate(() => document.querySelector('iframe')?.contentDocument?.documentElement.scrollHeight)).toBeGreaterThan(900);
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 30_000);
});
