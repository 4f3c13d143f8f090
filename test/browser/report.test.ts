import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTranslator, type Dictionary, type Values } from '../../public/js/i18n/messages.js';
import type { ApiReport } from '../../src/http/api/types.js';
import { describeBrowser, startBrowserHarness, watchConsoleErrors, watchForScript, type BrowserHarness } from '../support/browser.js';

const english = JSON.parse(readFileSync(new URL('../../public/locales/en.json', import.meta.url), 'utf8')) as Dictionary;
const t = createTranslator('en', english, english);

/** A sentence as the English page says it, for one whose values are plain text and numbers (no sizes or durations, which Intl writes). */
function plainSentence({ code, values }: { code: string; values: Record<string, unknown> }): string | null {
  const plain = Object.entries(values).every(([name, value]) => (typeof value === 'string' || typeof value === 'number') && name !== 'bytes' && name !== 'seconds');
  return plain ? t(`reportSentence.${code}`, values as Values) : null;
}

const HOSTILE_HOST = '<img/src=x/onerror=top.pwned=1>';
const HOSTILE_SUBJECT = '<img src=x onerror=alert(1)>';
// Labels of 63 bytes, the longest DNS allows: each far wider than 360 px, with no hyphen or other break point of its own.
const LONG_HOST = `${'relaywithaverylongnamethathasnobreakpointatall'.padEnd(63, 'x')}.`.repeat(3).concat('example');

/** Requests the page made for a report. */
function countReportRequests(page: Page): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/report')) count++;
  });
  return () => count;
}

/**
 * The Report tab of an open message in Chromium, against a real server with
 * `--dns-servers off`: authentication reads `none` with the off note, and
 * the checks and timeline come from the real message.
 */
describeBrowser('web inbox: the deliverability report tab', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness(['--dns-servers', 'off']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** A new inbox holding one HTML-only message relayed through a hostile and a long-named host; returns its address and id. */
  async function relayedMessage(): Promise<{ address: string; id: string }> {
    const address = await harness.newInbox();
    const relayed = new Date(Date.now() - 90_000).toUTCString();
    await harness.send({
      to: address,
      subject: HOSTILE_SUBJECT,
      html: '<p id="ready">Your order has shipped.</p>',
      headers: { Received: `from ${HOSTILE_HOST} by ${LONG_HOST} with ESMTP; ${relayed}` },
    });
    const response = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const [summary] = (await response.json() as { messages: Array<{ id: string }> }).messages;
    if (summary === undefined) throw new Error('the message did not arrive');
    return { address, id: summary.id };
  }

  async function reportOf(address: string, id: string): Promise<ApiReport> {
    const response = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages/${id}/report`);
    return await response.json() as ApiReport;
  }

  it('asks for the report only when the tab is opened, and once per message', async () => {
    const { address, id } = await relayedMessage();
    await harness.send({ to: address, subject: 'Another message', text: 'Plain and short.' });
    const page = await harness.newPage();
    const reportRequests = countReportRequests(page);
    await page.goto(`/#/inbox/${address}/${id}`);
    // The frame loads after the message is drawn, so by then a report asked for at drawing would have been requested.
    const frame = await (await page.locator('iframe.message-frame').elementHandle())?.contentFrame();
    await frame?.locator('#ready').waitFor();
    expect(reportRequests()).toBe(0);

    await page.getByRole('tab', { name: 'Report' }).click();
    await page.locator('.report-score').waitFor();
    await page.getByRole('tab', { name: 'Text' }).click();
    await page.getByRole('tab', { name: 'Report' }).click();
    await page.locator('.message-row', { hasText: 'Another message' }).locator('a').click();
    await page.locator('.message-subject', { hasText: 'Another message' }).waitFor();
    await page.locator('.message-row', { hasText: HOSTILE_SUBJECT }).locator('a').click();
    await page.locator('.message-subject', { hasText: HOSTILE_SUBJECT }).waitFor();
    await page.getByRole('tab', { name: 'Report' }).click();
    await page.locator('.report-score').waitFor();
    expect(reportRequests()).toBe(1);
  });

  it('shows the score and verdict, authentication, the checks by severity and the timeline, all as text', async () => {
    const { address, id } = await relayedMessage();
    const report = await reportOf(address, id);
    const page = await harness.newPage();
    const consoleErrors = watchConsoleErrors(page);
    const seen = watchForScript(page);
    await page.goto(`/#/inbox/${address}/${id}`);
    // Reached from the keyboard as the other tabs are: the last tab is the report.
    await page.getByRole('tab', { name: 'HTML' }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Report');

    const score = page.locator('.report-score');
    await expect(score.locator('.report-score-value').textContent()).resolves.toBe(`${report.score} / 10`);
    const verdict = report.score >= 9 ? 'Likely inbox' : report.score >= 6 ? 'At risk' : 'Likely spam';
    await expect(score.locator('.report-verdict').textContent()).resolves.toBe(verdict);

    const authentication = page.locator('.report-section').filter({ has: page.getByRole('heading', { name: 'Authentication', exact: true }) });
    await expect(authentication.locator('.report-dns-off').textContent()).resolves.toContain('--dns-servers off');
    await expect(authentication.locator('.report-item', { hasText: 'SPF for acme.example' }).locator('.report-badge').textContent()).resolves.toBe('None');
    await expect(authentication.locator('.report-item', { hasText: 'DMARC' }).textContent()).resolves.toContain(report.authentication.dmarc.explanation);

    // Each check under its own severity, said from its code; passes folded into "N checks passed".
    for (const check of report.checks) {
      const item = page.locator(`.report-group[data-status="${check.status}"] [data-check="${check.id}"]`);
      const text = await item.locator('.report-item-text').textContent() ?? '';
      const words = [{ code: check.messageCode, values: check.messageValues }, ...check.messageNotes].map(plainSentence);
      if (words.every((word) => word !== null)) expect(text, check.id).toBe(words.join(' '));
      else expect(text, check.id).toMatch(/^[A-Z0-9][^{}]+[.)]$/);
      if (check.penalty > 0) await expect(item.locator('.report-penalty').textContent()).resolves.toBe(`−${check.penalty}`);
    }
    await expect(page.locator('[data-check="text-part"] .report-item-text').textContent()).resolves.toBe(t('reportSentence.text-part.missing'));
    // HTML without a text part, unsigned: both failures, with what each costs.
    for (const id of ['text-part', 'dkim']) {
      await expect(page.locator(`.report-group[data-status="fail"] [data-check="${id}"] .report-penalty`).textContent(), id).resolves.toMatch(/^−\d/);
    }
    const passed = report.checks.filter((check) => check.status === 'pass').length;
    await expect(page.locator('details.report-group > summary').textContent()).resolves.toBe(`${passed} checks passed`);

    // The relay's hop, stamped 90 s before the Date header nodemailer wrote, then this server's.
    const hops = page.locator('.report-hop');
    await expect(hops.count()).resolves.toBe(report.timeline.hops.length);
    await expect(hops.first().locator('.report-hop-from').textContent()).resolves.toBe(HOSTILE_HOST);
    await expect(hops.first().locator('.report-hop-by').textContent()).resolves.toBe(LONG_HOST);
    await expect(hops.first().locator('.report-delay').textContent()).resolves.toMatch(/^clocks disagree by 1 min \d+ sec$/);
    await expect(hops.last().locator('.report-hop-by').textContent()).resolves.toBe(report.timeline.hops.at(-1)?.by);
    await expect(hops.last().locator('.report-delay').textContent()).resolves.toMatch(/^\+1 min \d+ sec$/);
    await expect(page.locator('.report-total').textContent()).resolves.toMatch(/^Total: \d+ sec from the Date header to arrival here\.$/);

    await expect(page.locator('#message-view img, #message-view script').count()).resolves.toBe(0);
    expect(seen.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(consoleErrors).toEqual([]);
  });

  it('says a sentence whose code it does not know (a newer server\'s) in the server\'s English', async () => {
    const { address, id } = await relayedMessage();
    const report = await reportOf(address, id);
    const later = 'A sentence of a later server, in English.';
    const changed = {
      ...report,
      checks: report.checks.map((check) => (check.id === 'dkim' ? { ...check, message: later, messageCode: 'a-check.added-later', messageValues: {} } : check)),
    };
    const page = await harness.newPage();
    await page.route(/\/report$/, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(changed) }));
    await page.goto(`/#/inbox/${address}/${id}`);
    await page.getByRole('tab', { name: 'Report' }).click();
    await expect(page.locator('[data-check="dkim"] .report-item-text').textContent()).resolves.toBe(later);
    // The other checks are said in the page's words as before.
    await expect(page.locator('[data-check="text-part"] .report-item-text').textContent()).resolves.toBe(t('reportSentence.text-part.missing'));
  });

  it('fits 360 px without sideways scrolling, long host names wrapped', async () => {
    const { address, id } = await relayedMessage();
    const page = await harness.newPage({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
    await page.goto(`/#/inbox/${address}/${id}`);
    await page.getByRole('tab', { name: 'Report' }).click();
    await page.locator('.report-hop').first().waitFor();
    await page.locator('details.report-group > summary').click();
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const pastTheEdge = await page.locator('.report *').evaluateAll((elements) => elements
      .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth)
      .map((element) => element.className));
    expect(pastTheEdge).toEqual([]);
  });

  it('says why the report failed, in the page\'s words for the problem\'s code, and Try again fetches it', async () => {
    const { address, id } = await relayedMessage();
    const page = await harness.newPage();
    // The server refuses for real only when a report's thread dies or the server is full, which
    // a page test cannot bring about; the first answer is its documented 503, the next the real one.
    const detail = 'No report could be made of this message because its thread stopped; try again in 5 seconds.';
    let refused = false;
    await page.route(/\/report$/, async (route) => {
      if (refused) return route.continue();
      refused = true;
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Report unavailable', status: 503, detail, code: 'report_failed' }),
      });
    });
    await page.goto(`/#/inbox/${address}/${id}`);
    await page.getByRole('tab', { name: 'Report' }).click();
    const failure = page.locator('.report-failure');
    await expect(failure.locator('p').textContent()).resolves.toBe(english['problem.reportFailed']);
    await expect(failure.getAttribute('role')).resolves.toBe('alert');
    await failure.getByRole('button', { name: 'Try again' }).click();
    await page.locator('.report-score').waitFor();
    await expect(page.locator('.report-failure').count()).resolves.toBe(0);
  });
});
