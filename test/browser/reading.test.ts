import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

// 400 px tall, served as the "remote" image that arrives after the message.
const TALL_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="400"><rect width="40" height="400" fill="#ccc"/></svg>';

/** The message frame and its document, as the page lays them out. */
interface FrameLayout {
  /** The iframe's height in the page. */
  frameHeight: number;
  /** The message's own height: its body, which has no margin of its own. */
  contentHeight: number;
  /** How far the message document could scroll down inside the frame. */
  innerScrollY: number;
  /** How far it could scroll sideways inside the frame. */
  innerScrollX: number;
  /** The zoom the page set on the message document (1 when it fits). */
  zoom: number;
  /** How wide the page itself is laid out, to compare with the window. */
  pageWidth: number;
}

function frameLayout(page: Page): Promise<FrameLayout> {
  return page.evaluate(() => {
    const frame = document.querySelector('iframe.message-frame');
    const root = frame instanceof HTMLIFrameElement ? frame.contentDocument?.documentElement : null;
    if (!frame || !root) throw new Error('no message frame with a document');
    return {
      frameHeight: frame.getBoundingClientRect().height,
      // In the frame's pixels, zoom included.
      contentHeight: root.ownerDocument.body?.getBoundingClientRect().height ?? 0,
      innerScrollY: root.scrollHeight - root.clientHeight,
      innerScrollX: root.scrollWidth - root.clientWidth,
      zoom: Number(getComputedStyle(root).zoom),
      pageWidth: document.documentElement.scrollWidth,
    };
  });
}

/** Resolves once the frame is as tall as its content, within a few pixels, and returns its layout. */
async function fittedFrame(page: Page): Promise<FrameLayout> {
  await expect.poll(async () => {
    const layout = await frameLayout(page).catch(() => null);
    return layout !== null && Math.abs(layout.frameHeight - layout.contentHeight) <= 3;
  }).toBe(true);
  return frameLayout(page);
}

/** The accessible name of the focused element, near enough: its label or its text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.getAttribute('aria-label') ?? element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  });
}

/**
 * Reading mail as on a phone mail app: the HTML frame as tall as the message
 * (the page scrolls, not the frame), a wide newsletter zoomed to the screen,
 * Escape back to the list, and focus on the subject first, then the actions.
 */
describeBrowser('web inbox: reading mail comfortably', () => {
  let harness: BrowserHarness;
  let imageHost: Server;
  const imageRequests: string[] = [];
  let releaseImages = () => {};
  const imagesReleased = new Promise<void>((resolve) => {
    releaseImages = resolve;
  });

  beforeAll(async () => {
    harness = await startBrowserHarness();
    // Holds every image back until the test releases them: they arrive after the message.
    imageHost = createServer((request, response) => {
      imageRequests.push(request.url ?? '');
      void imagesReleased.then(() => {
        response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
        response.end(TALL_IMAGE);
      });
    });
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    releaseImages();
    await harness?.close();
    await new Promise<void>((resolve) => (imageHost ? imageHost.close(() => resolve()) : resolve()));
  });

  /** A new inbox with one message in it, open in a new page. */
  async function openOne(html: string, viewport = DESKTOP, extra: { text?: string; subject?: string } = {}): Promise<{ page: Page; address: string }> {
    const address = await harness.newInbox();
    await harness.send({ to: address, subject: extra.subject ?? 'Reading test', text: extra.text ?? 'See the HTML version.', html });
    const page = await harness.newPage({ viewport });
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row a').click();
    await page.locator('.message-subject').waitFor();
    return { page, address };
  }

  it('makes the frame as tall as a short message and as a long one, with nothing to scroll inside', async () => {
    const short = await openOne('<p>Just a line.</p>');
    const shortLayout = await fittedFrame(short.page);
    // Shorter than a frame's default 150 px: the frame shrank to the message.
    expect(shortLayout.frameHeight).toBeLessThan(150);
    expect(shortLayout.innerScrollY).toBe(0);

    const long = await openOne('<div style="height:3000px;background:#eee">Long</div><p>The end.</p>');
    const longLayout = await fittedFrame(long.page);
    expect(longLayout.frameHeight).toBeGreaterThan(3000);
    expect(longLayout.innerScrollY).toBe(0);
    // The page scrolls to the end instead: on a wide screen, the message pane does.
    const pane = long.page.locator('#message-pane');
    await expect(pane.evaluate((element) => element.scrollHeight - element.clientHeight)).resolves.toBeGreaterThan(2000);

    // Hidden behind another tab and shown again, it still fits.
    await long.page.getByRole('tab', { name: 'Text' }).click();
    await long.page.getByRole('tab', { name: 'HTML' }).click();
    expect((await fittedFrame(long.page)).frameHeight).toBe(longLayout.frameHeight);
  });

  it('stops a message 200,000 px tall at 20,000 px, scrolled inside', async () => {
    const { page } = await openOne('<div style="height:200000px">Very long</div>');
    await expect.poll(async () => (await frameLayout(page)).frameHeight).toBe(20_000);
    const layout = await frameLayout(page);
    expect(layout.innerScrollY).toBeGreaterThan(170_000);
  });

  it('does not grow the frame for ever for a message sized by the frame\'s own height', async () => {
    // 100vh of the frame, plus the body's padding: never fits, whatever the frame's height.
    const { page } = await openOne('<style>body{min-height:100vh}</style><p>As tall as the screen.</p>');
    await expect.poll(async () => (await frameLayout(page)).frameHeight).not.toBe(150);
    const settled = (await frameLayout(page)).frameHeight;
    // Proving a negative: a frame that followed its content would have grown by now, some 30 px a frame.
    await page.waitForTimeout(500);
    expect((await frameLayout(page)).frameHeight).toBe(settled);
    expect(settled).toBeLessThan(400);
  });

  it('zooms a 600 px newsletter to a 360 px screen, which does not scroll sideways', async () => {
    const newsletter = '<table width="600" style="width:600px" cellpadding="0" cellspacing="0"><tr><td>'
      + '<h1>Weekly news</h1><p>Set in a fixed 600 px table, as newsletters are.</p></td></tr></table>';
    const { page } = await openOne(newsletter, PHONE);
    const layout = await fittedFrame(page);
    expect(layout.pageWidth).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // 600 px of table and 16 px of padding in a frame some 300 px wide.
    expect(layout.zoom).toBeGreaterThan(0.4);
    expect(layout.zoom).toBeLessThan(0.6);
    expect(layout.innerScrollX).toBe(0);
    expect(layout.innerScrollY).toBe(0);
    // The reader can still pinch to zoom in.
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport).not.toMatch(/user-scalable\s*=\s*(no|0)|maximum-scale/i);
  });

  it('grows the frame when a remote image arrives after the message', async () => {
    const { port } = imageHost.address() as AddressInfo;
    const { page } = await openOne(`<p>Before the banner.</p><img src="http://127.0.0.1:${port}/tall.svg" alt="banner"><p>After it.</p>`);
    const before = await fittedFrame(page);
    await page.getByRole('button', { name: 'Load remote images' }).click();
    await expect.poll(() => imageRequests.length).toBeGreaterThan(0);
    expect(imageRequests[0]).toBe('/tall.svg');
    releaseImages();
    // 400 px of image in place of its alt text.
    await expect.poll(async () => (await frameLayout(page)).frameHeight).toBeGreaterThan(before.frameHeight + 350);
    expect((await fittedFrame(page)).innerScrollY).toBe(0);
  });

  it('closes the message on Escape and gives focus back to its row, from the page or from inside the message', async () => {
    const { page, address } = await openOne('<p><a id="inside" href="https://acme.example/">A link in the message</a></p>', PHONE);
    const id = await page.locator('.message-row').getAttribute('data-id');
    const focusedRowId = () => page.evaluate(() => document.activeElement?.closest<HTMLElement>('.message-row')?.dataset.id ?? null);

    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('message-subject'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    expect(new URL(page.url()).hash).toBe(`#/inbox/${address}`);
    await expect.poll(focusedRowId).toBe(id);

    // Focus on a link inside the message: its document gets the key, and Escape still closes.
    await page.locator('.message-row a').click();
    await page.frameLocator('iframe.message-frame').locator('#inside').focus();
    await page.keyboard.press('Escape');
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    await expect.poll(focusedRowId).toBe(id);
  });

  it('leaves the message open when Escape closes the name dialog, from its field or its buttons', async () => {
    const { page } = await openOne('<p>Still here.</p>');
    const open = page.url();
    const dialog = page.locator('#name-dialog');
    // From its name field, then from one of its buttons: a field of the page would keep Escape anyway.
    for (const inside of ['#local-part', '#name-cancel']) {
      await page.getByRole('button', { name: 'Choose a name' }).click();
      await dialog.waitFor();
      await page.locator(inside).focus();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(page.url()).toBe(open);
      await expect(page.locator('#message-view').isVisible()).resolves.toBe(true);
    }
  });

  it.each([
    ['a phone', PHONE, ['Inbox']],
    ['a wide screen, where the list stays in view and the way back is not drawn', DESKTOP, []],
  ])('focuses the subject of an opened message, then Tab goes through its actions in order, on %s', async (_name, viewport, back) => {
    const { page } = await openOne('<p>Your code is <b>624810</b>.</p><p><a href="https://acme.example/verify?token=abc">Verify email</a></p>', viewport, {
      subject: 'Confirm your email',
      text: 'Your code is 624810. Confirm: https://acme.example/verify?token=abc',
    });
    await expect.poll(() => focusedName(page)).toBe('Confirm your email');
    const stops: string[] = [];
    for (let stop = 0; stop < back.length + 5; stop++) {
      await page.keyboard.press('Tab');
      stops.push(await focusedName(page));
    }
    expect(stops).toEqual([...back, 'Download .eml', 'Delete', 'Copy code', 'Verify email (opens in a new tab)', 'HTML']);
  });
});
