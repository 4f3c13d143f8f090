import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiMessageSummary } from '../../src/http/api/types.js';
import { describeBrowser, startBrowserHarness, watchConsoleErrors, watchForScript, type BrowserHarness } from '../support/browser.js';
import type { SendMailOptions } from 'nodemailer';

// A 1x1 transparent PNG, served as the "remote" image.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * An open message in Chromium: the sandboxed HTML view, hostile mail that
 * must never run script anywhere, remote images held back until asked for,
 * and the live list following socket frames (a stand-in socket, so these
 * run whatever the state of the real endpoint).
 */
describeBrowser('web inbox: reading mail', () => {
  let harness: BrowserHarness;
  let imageHost: Server;
  const imageRequests: string[] = [];

  beforeAll(async () => {
    harness = await startBrowserHarness();
    imageHost = createServer((request, response) => {
      imageRequests.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      response.end(PIXEL);
    });
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await harness?.close();
    await new Promise<void>((resolve) => (imageHost ? imageHost.close(() => resolve()) : resolve()));
  });

  const newInbox = () => harness.newInbox();
  const send = (message: SendMailOptions) => harness.send(message);

  it('renders the HTML in a sandboxed iframe, with the action link as a safe button', async () => {
    const address = await newInbox();
    await send({
      to: address,
      subject: 'Confirm your email',
      text: 'Confirm: https://acme.example/verify?token=abc',
      html: '<h1>Welcome aboard</h1><p>Your code is <b>624810</b>.</p><p><a href="https://acme.example/verify?token=abc">Verify email</a></p>',
    });
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row a').click();

    const iframe = page.locator('iframe.message-frame');
    await expect(iframe.getAttribute('sandbox')).resolves.toBe('allow-popups allow-popups-to-escape-sandbox allow-same-origin');
    await expect(iframe.getAttribute('referrerpolicy')).resolves.toBe('no-referrer');
    await expect(iframe.getAttribute('src')).resolves.toMatch(/^\/api\/inboxes\/[^/]+\/messages\/[^/]+\/html$/);
    await page.frameLocator('iframe.message-frame').locator('h1', { hasText: 'Welcome aboard' }).waitFor();

    await expect(page.locator('.code-value').textContent()).resolves.toBe('624810');
    const action = page.locator('a.btn-action');
    await expect(action.getAttribute('href')).resolves.toBe('https://acme.example/verify?token=abc');
    await expect(action.getAttribute('target')).resolves.toBe('_blank');
    await expect(action.getAttribute('rel')).resolves.toBe('noopener noreferrer');

    await page.getByRole('tab', { name: 'Text' }).click();
    await expect(page.locator('.message-text').textContent()).resolves.toContain('Confirm: https://acme.example/verify?token=abc');
    await page.getByRole('tab', { name: 'Headers' }).click();
    await expect(page.locator('.headers-table').textContent()).resolves.toContain('Confirm your email');
    await expect(page.getByRole('link', { name: 'Download .eml' }).getAttribute('href')).resolves.toMatch(/\/raw$/);
    expect(consoleErrors).toEqual([]);
  });

  it('never runs script from a hostile message, its names or its attachments', async () => {
    const address = await newInbox();
    const hostileName = '<img src=x onerror="top.pwned=1;alert(1)">.svg';
    const hostileSubject = '<script>top.pwned=1</script><img src=x onerror="parent.pwned=1;alert(1)">';
    await send({
      from: '"<img src=x onerror=alert(1)>" <evil@attacker.example>',
      to: address,
      subject: hostileSubject,
      text: 'Plain <script>alert(1)</script> javascript:alert(1) https://ok.example/path',
      html: [
        '<p id="marker">Hostile newsletter</p>',
        '<script>top.pwned=1;parent.pwned=1;alert(1)</script>',
        '<img src="x" onerror="top.pwned=1;alert(1)">',
        '<a id="js" href="javascript:top.pwned=1;alert(1)">click me</a>',
        '<a href="jav&#x09;ascript:alert(1)">tabbed</a>',
        '<svg onload="top.pwned=1;alert(1)"><script>alert(1)</script></svg>',
        '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
        '<form action="javascript:alert(1)"><button id="go">go</button></form>',
        '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
      ].join('\n'),
      attachments: [
        {
          filename: hostileName,
          contentType: 'image/svg+xml',
          content: '<svg xmlns="http://www.w3.org/2000/svg" onload="top.pwned=1;alert(1)"><script>top.pwned=1;alert(1)</script></svg>',
        },
        { filename: '"><script>alert(1)</script>.html', contentType: 'text/html', content: '<script>top.pwned=1;alert(1)</script>' },
      ],
    });

    const page = await harness.newPage();
    const seen = watchForScript(page);
    await page.goto(`/#/inbox/${address}`);
    const row = page.locator('.message-row');
    await row.waitFor();
    await expect(row.locator('.row-subject').textContent()).resolves.toBe(hostileSubject);
    await row.locator('a').click();

    // Every field is shown as the text it is.
    await expect(page.locator('.message-subject').textContent()).resolves.toBe(hostileSubject);
    await expect(page.locator('.message-fields').textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    await expect(page.locator('.attachment-name').first().textContent()).resolves.toBe(hostileName);
    await expect(page.locator('#message-view img, #message-view script').count()).resolves.toBe(0);

    const frame = page.frameLocator('iframe.message-frame');
    await frame.locator('#marker').waitFor();
    for (const text of ['click me', 'tabbed', 'go']) {
      await frame.getByText(text, { exact: true }).click({ timeout: 2_000 }).catch(() => undefined);
    }
    await page.getByRole('tab', { name: 'Text' }).click();
    await expect(page.locator('.message-text a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))))
      .resolves.toEqual(['https://ok.example/path']);
    await page.getByRole('tab', { name: 'Headers' }).click();

    // The SVG with script is a download, never a page of ours.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Download ${hostileName}` }).click(),
    ]);
    expect(download.url()).toMatch(/\/attachments\/0$/);

    // Proving a negative: no condition announces that nothing is coming, so a dialog or error
    // the clicks set off is given a moment to show. A slow machine only makes the check stricter.
    await page.waitForTimeout(300);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(page.frames().length).toBe(2);
  });

  it('names the first recipients of a long To header and says how many more it has', async () => {
    const address = await newInbox();
    const others = Array.from({ length: 60 }, (_, index) => `Colleague number ${index} <colleague-${index}@acme.example>`);
    // The envelope goes to this inbox only; the To header is what the sender wrote.
    await send({ to: others.join(', '), envelope: { from: 'no-reply@acme.example', to: [address] }, subject: 'To everyone', text: 'Hello all' });
    const page = await harness.newPage();
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row a').click();
    const fields = page.locator('.message-fields');
    await expect.poll(() => fields.textContent()).toContain('Colleague number 0');
    const shown = (await fields.textContent())?.match(/colleague-\d+@/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(60);
    await expect(fields.textContent()).resolves.toContain(` and ${60 - shown} more`);
  });

  it('blocks remote images until "Load remote images" is pressed', async () => {
    const address = await newInbox();
    const { port } = imageHost.address() as AddressInfo;
    imageRequests.length = 0;
    await send({
      to: address,
      subject: 'Newsletter with a tracker',
      text: 'See the HTML version.',
      html: `<p id="ready">Our news</p><img src="http://127.0.0.1:${port}/pixel.png?m=1" width="20" height="20" alt="banner">`,
    });
    const page = await harness.newPage();
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row a').click();
    await page.frameLocator('iframe.message-frame').locator('#ready').waitFor();
    const bar = page.locator('.remote-bar');
    await bar.waitFor();
    await expect(bar.textContent()).resolves.toContain('1 remote image blocked');
    // A frame's load event waits for its images, so once it fired, an image let through would have been requested.
    const frame = await (await page.locator('iframe.message-frame').elementHandle())?.contentFrame();
    if (!frame) throw new Error('the message frame has no document');
    await frame.waitForLoadState('load');
    expect(imageRequests).toEqual([]);

    await page.getByRole('button', { name: 'Load remote images' }).click();
    await expect(page.locator('iframe.message-frame').getAttribute('src')).resolves.toMatch(/\/html\?remote=1$/);
    await expect.poll(() => imageRequests.length).toBeGreaterThan(0);
    expect(imageRequests[0]).toBe('/pixel.png?m=1');
  });

  it('follows the live socket: hello fills, frames add and remove, a drop shows Reconnecting… and hello replaces the list', async () => {
    const address = await newInbox();
    await send({ to: address, subject: 'Real message', text: 'A real one, to open.' });
    const listed = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const [real] = (await listed.json() as { messages: ApiMessageSummary[] }).messages;
    if (real === undefined) throw new Error('the message did not arrive');
    const fake = (id: string, subject: string): ApiMessageSummary => ({
      ...real, id, subject, codes: [], preview: `${subject} preview`,
      receivedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });

    const page = await harness.newPage();
    const sockets: Array<{ send(message: string): void; close(): void }> = [];
    let reconnectSeen = () => {};
    // The second hello is held back until the test has seen "Reconnecting…".
    const helloAgain = new Promise<void>((resolve) => { reconnectSeen = resolve; });
    await page.routeWebSocket(/\/events$/, async (socket) => {
      sockets.push(socket);
      if (sockets.length === 1) {
        socket.send(JSON.stringify({ type: 'hello', address, messages: [fake('a1', 'Fake older'), real] }));
      } else {
        await helloAgain;
        socket.send(JSON.stringify({ type: 'hello', address, messages: [fake('d4', 'After reconnect')] }));
      }
    });
    await page.goto(`/#/inbox/${address}`);
    const status = page.locator('#connection');
    await page.locator('#connection[data-state="live"]').waitFor();
    await expect(page.locator('.message-row').count()).resolves.toBe(2);

    sockets[0]?.send(JSON.stringify({ type: 'message', message: fake('c3', 'Pushed in') }));
    await page.locator('.message-row', { hasText: 'Pushed in' }).waitFor();
    await expect(page.locator('.message-row').first().textContent()).resolves.toContain('Pushed in');
    await expect.poll(() => page.locator('#announcer').textContent()).toContain('Pushed in');
    // No text, no preview: the row leaves it out rather than saying "null".
    sockets[0]?.send(JSON.stringify({ type: 'message', message: { ...fake('e5', 'Bare'), preview: '' } }));
    const bare = page.locator('.message-row', { hasText: 'Bare' });
    await bare.waitFor();
    await expect(bare.textContent()).resolves.not.toContain('null');

    await page.locator('.message-row', { hasText: 'Real message' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Real message' }).waitFor();
    sockets[0]?.send(JSON.stringify({ type: 'deleted', id: real.id }));
    await page.locator('.gone-title', { hasText: 'This message was deleted.' }).waitFor();
    await expect(page.locator('.message-row', { hasText: 'Real message' }).count()).resolves.toBe(0);
    sockets[0]?.send(JSON.stringify({ type: 'expired', id: 'a1' }));
    await page.locator('.message-row', { hasText: 'Fake older' }).waitFor({ state: 'detached' });

    sockets[0]?.close();
    await page.locator('#connection[data-state="reconnecting"]').waitFor();
    await expect(status.textContent()).resolves.toContain('Reconnecting…');
    expect(await status.isVisible()).toBe(true);
    reconnectSeen();
    await page.locator('#connection[data-state="live"]').waitFor();
    await expect(page.locator('.message-row').allTextContents()).resolves.toEqual([expect.stringContaining('After reconnect')]);
  });
});
