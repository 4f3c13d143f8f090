import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiMessage, ApiMessageList } from '../../src/http/api/types.js';
import { describeBrowser, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';

/**
 * A message of From, To and Subject and nothing else, over real SMTP: the
 * inbox once listed it with the word "null" for its missing preview
 * (issue 22). Its row shows no preview at all, and opened it says it has no text.
 */
describeBrowser('web inbox: a message with headers only', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('lists it without "null" and opens it to say it has no text', async () => {
    const address = await harness.newInbox();
    // No body at all, not even the blank line that would start one.
    const raw = `From: Acme <no-reply@acme.example>\r\nTo: ${address}\r\nSubject: Headers only\r\n`;
    await harness.send({ envelope: { from: 'no-reply@acme.example', to: [address] }, raw });

    const inbox = `${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}`;
    const list = await (await fetch(`${inbox}/messages`)).json() as ApiMessageList;
    expect(list.messages).toHaveLength(1);
    expect(list.messages[0]).toMatchObject({ subject: 'Headers only', preview: '', parseFailed: false });
    const message = await (await fetch(`${inbox}/messages/${list.messages[0]?.id ?? ''}`)).json() as ApiMessage;
    expect(message).toMatchObject({ text: '', htmlUrl: null, attachments: [] });

    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    await page.goto(`/#/inbox/${address}`);
    const row = page.locator('.message-row', { hasText: 'Headers only' });
    await row.waitFor();
    const rowText = await row.textContent() ?? '';
    expect(rowText).toContain('Acme');
    expect(rowText).not.toMatch(/null|undefined/);
    await expect(row.locator('.row-preview').count()).resolves.toBe(0);

    await row.locator('a').click();
    await page.locator('.message-subject', { hasText: 'Headers only' }).waitFor();
    await expect(page.locator('.panel-text').textContent()).resolves.toBe('This message has no text.');
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/null|undefined/);
    expect(consoleErrors).toEqual([]);
  });
});
