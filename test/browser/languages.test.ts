import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FALLBACK_LANGUAGE, LANGUAGES } from '../../public/js/i18n/languages.js';
import { createTranslator, type Values } from '../../public/js/i18n/messages.js';
import type { ApiReport } from '../../src/http/api/types.js';
import { describeBrowser, shownAddress, startBrowserHarness, watchConsoleErrors, type BrowserHarness } from '../support/browser.js';
import { readDictionary as dictionary } from '../support/locales.js';

/** A browser locale for each language: a region too, as browsers send it. */
const LOCALES: Record<string, string> = {
  en: 'en-US', de: 'de-DE', es: 'es-ES', fr: 'fr-FR', gl: 'gl-ES', pt: 'pt-BR', ru: 'ru-RU', uk: 'uk-UA',
};

/**
 * English words of the page that no other language uses: none may be left
 * on a page in another language. (Words some languages share with English,
 * such as "Live", "Date" or "Message", are not on the list.)
 */
const ENGLISH_WORDS = ['Inbox', 'Copy', 'Waiting', 'expires', 'Connecting', 'Choose', 'address', 'unread', 'Delete', 'Empty', 'Language',
  'Download', 'From', 'Expires', 'Verification', 'Headers', 'Report', 'Loading'];


/** The words the page should show, read from its translation files through its own translator. */
function wordsOf(code: string): (key: string, values?: Values) => string {
  return createTranslator(code, dictionary(code), dictionary(FALLBACK_LANGUAGE));
}

/**
 * Every text a person meets under `root` (shown text, and what a screen reader
 * reads: hidden-visually labels, aria-label, title, alt), from visible elements only.
 */
function textsUnder(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node: Node | null = walker.currentNode; node !== null; node = walker.nextNode()) {
      if (node instanceof Text) {
        if (node.parentElement?.checkVisibility() && node.data.trim() !== '') texts.push(node.data.trim());
      } else if (node instanceof Element && node.checkVisibility()) {
        for (const name of ['aria-label', 'title', 'alt']) {
          const value = node.getAttribute(name);
          if (value) texts.push(value);
        }
      }
    }
    return texts;
  });
}

function englishIn(texts: string[]): string[] {
  return texts.filter((text) => ENGLISH_WORDS.some((word) => new RegExp(`\\b${word}\\b`).test(text)));
}

/** "1 h", "1 ч": one hour as the page writes a time left, by the browser's own Intl. */
function oneHourIn(page: Page, code: string): Promise<string> {
  return page.evaluate((language) => new Intl.NumberFormat(language, { style: 'unit', unit: 'hour', unitDisplay: 'short' }).format(1), code);
}

/** A date as the page writes it in full, by the browser's own Intl. */
function fullDateIn(page: Page, code: string, iso: string): Promise<string> {
  return page.evaluate(({ language, when }) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(when)), { language: code, when: iso });
}

/**
 * The page in each of its languages, picked from the browser's locale or
 * from the switcher, with the translation files as the expectation: every
 * string of the page, its dates and times through Intl, and the open
 * message with its Report tab.
 */
describeBrowser('web inbox: languages', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    // No DNS: the Report tab is made at once, with no lookups leaving the machine.
    harness = await startBrowserHarness(['--dns-servers', 'off']);
  });

  afterAll(async () => {
    await harness?.close();
  });

  for (const { code } of LANGUAGES) {
    const locale = LOCALES[code] ?? code;
    it(`speaks ${code} to a browser in ${locale}, dates and times included`, async () => {
      const t = wordsOf(code);
      const page = await harness.newPage({ locale });
      const consoleErrors = watchConsoleErrors(page);
      await page.goto('/');
      const address = await shownAddress(page);

      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(code);
      await expect(page.title()).resolves.toBe(t('page.title'));
      await expect(page.locator('#inbox-heading').textContent()).resolves.toContain(t('inbox.heading'));
      await expect(page.locator('.empty-title').textContent()).resolves.toBe(t('inbox.waiting'));
      await expect(page.locator('#copy-address .btn-label').textContent()).resolves.toBe(t('action.copy'));
      await expect(page.locator('#new-address').textContent()).resolves.toContain(t('address.new'));
      await expect(page.locator('#language').inputValue()).resolves.toBe(code);
      const retention = page.evaluate((language) => new Intl.NumberFormat(language, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(1), code);
      await expect.poll(() => page.locator('#retention').textContent()).toBe(t('footer.retention', { duration: await retention }));
      if (code !== FALLBACK_LANGUAGE) expect(englishIn(await textsUnder(page.locator('body')))).toEqual([]);

      await harness.send({ to: address, subject: 'Σ 1', text: '42' });
      const row = page.locator('.message-row');
      await row.waitFor();
      const receivedAt = await row.locator('.row-time').getAttribute('datetime') ?? '';
      await expect(row.locator('.row-time').textContent()).resolves.toBe(t('time.justNow'));
      await expect(row.locator('.row-time').getAttribute('title')).resolves.toBe(await fullDateIn(page, code, receivedAt));
      await expect(row.locator('.row-expiry').textContent()).resolves.toBe(t('time.expiresIn', { duration: await oneHourIn(page, code) }));

      // A refused name's reason, as the person who typed a name in their own alphabet reads it.
      await page.locator('#choose-name').click();
      await page.locator('#local-part').pressSequentially('жанна');
      const script = await page.evaluate((language) => new Intl.DisplayNames(language, { type: 'script' }).of('Cyrl') ?? '', code);
      await expect.poll(() => page.locator('#name-feedback').textContent()).toBe(t('reason.name_non_latin', { character: 'ж', script }));
      await page.keyboard.press('Escape');

      // Longer words must still fit a phone: nothing scrolls sideways at 360 px, the inbox nor an open message.
      await page.setViewportSize({ width: 360, height: 780 });
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
      await row.locator('a').click();
      await page.locator('.message-subject').waitFor();
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
      expect(consoleErrors).toEqual([]);
    });
  }

  it('switches to the language chosen in the menu, keeps the inbox, and remembers it over the browser\'s', async () => {
    const german = wordsOf('de');
    const page = await harness.newPage({ locale: 'fr-FR' });
    await page.goto('/');
    const address = await shownAddress(page);
    const url = page.url();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');

    await Promise.all([page.waitForEvent('load'), page.locator('#language').selectOption({ label: 'Deutsch' })]);
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    expect(page.url()).toBe(url);
    expect(await shownAddress(page)).toBe(address);
    await expect(page.locator('#inbox-heading').textContent()).resolves.toContain(german('inbox.heading'));

    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    expect(await shownAddress(page)).toBe(address);
    await expect(page.locator('#language').inputValue()).resolves.toBe('de');
    await expect(page.locator('.empty-title').textContent()).resolves.toBe(german('inbox.waiting'));
  });

  it('shows an open message in Russian: its fields, code, actions and tabs, the Report tab included', async () => {
    const t = wordsOf('ru');
    const page = await harness.newPage({ locale: 'ru-RU', permissions: ['clipboard-read', 'clipboard-write'] });
    const consoleErrors = watchConsoleErrors(page);
    await page.goto('/');
    const address = await shownAddress(page);
    await harness.send({
      to: address,
      subject: 'Подтвердите адрес',
      text: 'Ваш код подтверждения: 482913',
      html: '<p>Ваш код подтверждения: <b>482913</b></p>',
    });
    await page.locator('.message-row a').click();
    await page.locator('.message-subject', { hasText: 'Подтвердите адрес' }).waitFor();
    const view = page.locator('#message-view');

    await expect(page.getByRole('tablist').getAttribute('aria-label')).resolves.toBe(t('message.views'));
    await expect(page.getByRole('tab').allTextContents())
      .resolves.toEqual([t('message.tabHtml'), t('message.tabText'), t('message.tabHeaders'), t('report.tab')]);
    await expect(view.locator('.back-link').textContent()).resolves.toBe(t('message.back'));
    await page.getByRole('button', { name: t('message.delete'), exact: true }).waitFor();
    await page.getByRole('link', { name: t('message.downloadEml'), exact: true }).waitFor();
    await expect(view.locator('.message-fields dt').allTextContents())
      .resolves.toEqual([t('message.from'), t('message.to'), t('message.date'), t('message.expires')]);
    const date = await view.locator('.message-fields time').getAttribute('datetime') ?? '';
    await expect(view.locator('.message-fields time').textContent()).resolves.toBe(await fullDateIn(page, 'ru', date));
    await expect(view.locator('.message-fields dd').last().textContent())
      .resolves.toBe(t('message.expiresIn', { duration: await oneHourIn(page, 'ru') }));
    await expect(view.locator('#code-label').textContent()).resolves.toBe(t('message.verificationCode'));
    await expect(page.locator('iframe.message-frame').getAttribute('title')).resolves.toBe(t('message.frameTitle'));
    expect(englishIn(await textsUnder(view))).toEqual([]);

    await page.getByRole('button', { name: t('message.copyCode'), exact: true }).click();
    await page.getByRole('button', { name: t('copy.done'), exact: true }).waitFor();
    await expect.poll(() => page.locator('#announcer').textContent()).toBe(t('copy.codeCopied'));

    await page.getByRole('tab', { name: t('report.tab') }).click();
    const report = view.locator('.report');
    await report.waitFor();
    await expect(report.locator('h3').allTextContents())
      .resolves.toEqual([t('report.authentication'), t('report.checks'), t('report.timeline')]);
    await expect(report.locator('.report-score').getAttribute('aria-label')).resolves.toBe(t('report.scoreLabel'));
    const verdicts = ['report.verdictInbox', 'report.verdictRisk', 'report.verdictSpam'].map((key) => t(key));
    expect(verdicts).toContain(await report.locator('.report-verdict').textContent());
    await expect(report.locator('.report-dns-off').textContent()).resolves.toBe(t('report.dnsOff'));
    // With no DNS, every authentication result is "none".
    const badges = await report.locator('.report-badge').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set([t('report.resultNone')]));
    const passed = await report.locator('details.report-group .report-check').count();
    await expect(report.locator('details.report-group > summary').textContent()).resolves.toBe(t('report.passed', { count: passed }));

    // Each sentence in Russian, by its code and values, never in the server's English.
    const id = new URL(page.url()).hash.split('/').at(-1) ?? '';
    const { authentication, checks } = await (await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages/${id}/report`)).json() as ApiReport;
    expect(checks.length).toBeGreaterThan(10);
    const sentenceOf = ({ code, values }: { code: string; values: Record<string, unknown> }) => t(`reportSentence.${code}`, values as Values);
    // The first item of the first section: SPF's verdict.
    await expect(report.locator('.report-section').first().locator('.report-item-text').first().textContent())
      .resolves.toBe(sentenceOf({ code: authentication.spf.explanationCode, values: authentication.spf.explanationValues }));
    for (const check of checks) {
      const text = await report.locator(`[data-check="${check.id}"] .report-item-text`).textContent();
      expect(text, check.id).not.toBe(check.message);
      expect(text, check.id).toMatch(/[а-яё]/i);
      // Sizes and durations are written by Intl in the page: the sentences of plain text and numbers are compared whole.
      const plain = check.messageNotes.length === 0 && Object.entries(check.messageValues)
        .every(([name, value]) => (typeof value === 'string' || typeof value === 'number') && name !== 'bytes' && name !== 'seconds');
      if (plain) expect(text, check.id).toBe(sentenceOf({ code: check.messageCode, values: check.messageValues }));
    }
    expect(checks.find((check) => check.id === 'dkim')?.messageCode).toBe('dkim.unsigned');
    await expect(report.locator('[data-check="dkim"] .report-item-text').textContent()).resolves.toBe(t('reportSentence.dkim.unsigned'));
    expect(consoleErrors).toEqual([]);
  });

  it('says why a call failed in the page\'s language, by the problem\'s code; the server\'s sentence only for a code it does not know', async () => {
    const t = wordsOf('ru');
    const address = await harness.newInbox();
    await harness.send({ to: address, subject: 'Отчёт', text: 'Текст' });
    const page = await harness.newPage({ locale: 'ru-RU' });
    const detail = 'A sentence of a later server, in English.';
    const answers = [
      { code: 'report_failed', detail: 'No report could be made of this message because its thread stopped; try again in 5 seconds.' },
      { code: 'a_code_added_later', detail },
    ];
    await page.route(/\/report$/, async (route) => {
      const answer = answers.shift();
      if (answer === undefined) return route.continue();
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Report unavailable', status: 503, ...answer }),
      });
    });
    await page.goto(`/#/inbox/${address}`);
    await page.locator('.message-row a').click();
    await page.getByRole('tab', { name: t('report.tab') }).click();
    const failure = page.locator('.report-failure');
    await expect(failure.locator('p').textContent()).resolves.toBe(t('problem.reportFailed'));

    await failure.getByRole('button', { name: t('report.retry') }).click();
    await expect.poll(() => failure.locator('p').textContent())
      .toBe(t('problem.withDetail', { failed: t('report.unreachable'), detail }));
    await failure.getByRole('button', { name: t('report.retry') }).click();
    await page.locator('.report-score').waitFor();
  });

  it('words the name dialog in Russian: the hint, refusals by their reason codes, an available name', async () => {
    const t = wordsOf('ru');
    const page = await harness.newPage({ locale: 'ru-RU' });
    await page.goto('/');
    await shownAddress(page);
    await page.getByRole('button', { name: t('address.choose') }).click();
    const input = page.getByLabel(t('picker.name'), { exact: true });
    const feedback = page.locator('#name-feedback');
    await expect(feedback.textContent()).resolves.toBe(t('picker.hint'));

    await input.pressSequentially('my name');
    await expect.poll(() => feedback.textContent()).toBe(t('reason.name_space'));
    await expect(feedback.getAttribute('data-state')).resolves.toBe('error');

    // Refused on submission too (the server's answer to the creation, not the live check), in the same words.
    await input.fill('a..b');
    await page.getByRole('button', { name: t('picker.submit') }).click();
    await expect.poll(() => feedback.textContent()).toBe(t('reason.name_double_dot'));

    await input.fill('');
    await input.pressSequentially('qa.team-7');
    await page.waitForFunction(() => document.getElementById('name-feedback')?.dataset.state === 'ok');
    await expect(feedback.textContent()).resolves.toBe(t('picker.available', { address: 'qa.team-7@ephemail.test' }));
  });
});
