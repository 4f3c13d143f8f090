import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiMessageList } from '../../src/http/api/types.js';
import { axeViolations, describeViolations } from '../support/axe.js';
import { describeBrowser, shownAddress, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { focusStop, stopsToEnd, tabTo } from '../support/focus.js';

/** A screen to check: `show` brings a page to it and returns that page. */
interface Screen {
  name: string;
  show: () => Promise<Page>;
}

/** Each screen is checked in both themes, at a desktop's width and a small phone's. */
const VARIANTS = [
  { colorScheme: 'light', width: 1280 },
  { colorScheme: 'light', width: 360 },
  { colorScheme: 'dark', width: 1280 },
  { colorScheme: 'dark', width: 360 },
] as const;

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/**
 * The page against axe-core's WCAG 2.2 A and AA rules on every screen, in
 * light and dark, at 1280 and 360 px, and the sign-up walk by keyboard
 * alone, each stop with a visible focus ring. Two pages serve every screen:
 * the newcomer's (an address of its own, no mail) and the reader's (mail, one
 * message read); themes and widths change on the same page.
 */
describeBrowser('web inbox: accessibility', () => {
  let harness: BrowserHarness;
  let newcomer: Page;
  let reader: Page;
  let readerAddress = '';
  let richId = '';

  /**
   * A page in a context of its own. bypassCSP lets the test inject axe (the
   * page's CSP refuses inline script, as it should). Reduced motion turns off
   * the page's colour transitions, which would otherwise let axe read a
   * colour halfway between two themes.
   */
  const newPage = async () => harness.newPage({ bypassCSP: true, reducedMotion: 'reduce' });

  async function messageIds(address: string): Promise<Map<string, string>> {
    const response = await fetch(`${harness.server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const { messages } = await response.json() as ApiMessageList;
    return new Map(messages.map((message) => [message.subject, message.id]));
  }

  beforeAll(async () => {
    // Two domains, so the domain menus show on every screen.
    harness = await startBrowserHarness(['--dns-servers', 'off', '--domains', 'ephemail.test,mail.example,*']);
    newcomer = await newPage();
    reader = await newPage();
    await reader.goto('/');
    readerAddress = await shownAddress(reader);
    // Everything an open message can show: HTML with a blocked remote image, text, a code, an action link, an attachment.
    await harness.send({
      to: readerAddress,
      subject: 'Your Acme verification code',
      text: 'Your verification code is 482913.\n\nOr confirm your email: https://acme.example/verify?token=9f8a7c',
      html: '<h1>Confirm your email</h1><p>Your code is <b>482913</b>.</p>'
        + '<p><a href="https://acme.example/verify?token=9f8a7c">Verify email</a></p>'
        + '<img src="http://127.0.0.1:9/banner.png" width="200" height="40" alt="Acme">',
      attachments: [{ filename: 'terms.pdf', content: Buffer.alloc(2_048, 7), contentType: 'application/pdf' }],
    });
    await harness.send({ to: readerAddress, subject: 'Your receipt #10492', text: 'Thanks for your order.' });
    await reader.locator('.message-row').nth(1).waitFor();
    richId = (await messageIds(readerAddress)).get('Your Acme verification code') ?? '';
    // Opened once, so the list has a read message beside an unread one.
    await reader.goto(`/inbox/${readerAddress}/${richId}`);
    await reader.locator('.message-subject').waitFor();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** The reader's inbox with a new address beside it, so the list of addresses shows the reader's with its unread count. */
  async function readerWithSavedList(): Promise<void> {
    await reader.goto(`/inbox/${readerAddress}`);
    await reader.locator('.message-row').nth(1).waitFor();
    await reader.getByRole('button', { name: 'New address' }).click();
    await reader.locator('#saved-addresses .saved-unread:not([hidden])').waitFor();
  }

  /** The open message with one of its tabs selected, once that tab's content is in. */
  function openMessage(tab: string, loaded: string): Screen {
    return {
      name: `an open message, its ${tab} tab`,
      async show() {
        await reader.goto(`/inbox/${readerAddress}/${richId}`);
        await reader.getByRole('tab', { name: tab }).click();
        await reader.locator(loaded).first().waitFor();
        return reader;
      },
    };
  }

  // One row per screen; a new screen is one more row.
  const screens: Screen[] = [
    {
      name: 'the empty inbox',
      async show() {
        await newcomer.goto('/');
        await newcomer.locator('#empty-state').waitFor();
        return newcomer;
      },
    },
    {
      name: 'the inbox with mail, one message read and one unread',
      async show() {
        await reader.goto(`/inbox/${readerAddress}`);
        await reader.locator('.message-row.is-unread').waitFor();
        await reader.locator('.message-row:not(.is-unread)').waitFor();
        return reader;
      },
    },
    openMessage('HTML', '.remote-bar:not([hidden])'),
    openMessage('Text', '.message-text'),
    openMessage('Headers', '.headers-table'),
    openMessage('Report', '.report'),
    {
      name: 'the "Choose a name" dialog, a refused name\'s reason showing',
      async show() {
        await newcomer.goto('/');
        await shownAddress(newcomer);
        await newcomer.getByRole('button', { name: 'Choose a name' }).click();
        await newcomer.getByLabel('Name', { exact: true }).pressSequentially('my name');
        await newcomer.locator('#name-feedback[data-state="error"]').waitFor();
        return newcomer;
      },
    },
    {
      name: 'the "Empty inbox" confirmation',
      async show() {
        await reader.goto(`/inbox/${readerAddress}`);
        await reader.getByRole('button', { name: 'Empty inbox' }).click();
        await reader.locator('#confirm-dialog[open]').waitFor();
        return reader;
      },
    },
    {
      name: 'the addresses of this browser, one with unread mail',
      async show() {
        await readerWithSavedList();
        return reader;
      },
    },
    {
      name: 'the "Forget this address?" confirmation',
      async show() {
        await readerWithSavedList();
        await reader.getByRole('button', { name: `Forget ${readerAddress}` }).click();
        await reader.locator('#forget-dialog[open]').waitFor();
        return reader;
      },
    },
    {
      name: 'an inbox opened from a link, with its note',
      async show() {
        await newcomer.goto(`/inbox/${await harness.newInbox()}`);
        await newcomer.locator('#link-note').waitFor();
        return newcomer;
      },
    },
    {
      name: 'the "Open on phone" dialog, its QR code drawn',
      async show() {
        await newcomer.goto('/');
        await shownAddress(newcomer);
        await newcomer.getByRole('button', { name: 'Open on phone' }).click();
        await newcomer.locator('#qr-image[src^="data:"]').waitFor();
        return newcomer;
      },
    },
    {
      name: 'the alerts, notifications refused (said beside them) and the sound on',
      async show() {
        await reader.goto(`/inbox/${readerAddress}`);
        // Headless Chromium refuses the permission, as a person who says no does.
        await reader.locator('#alert-notify').click();
        await reader.locator('#alert-blocked:not(:empty)').waitFor();
        await reader.locator('#alert-sound[aria-pressed="false"]').click();
        await reader.locator('#alert-sound[aria-pressed="true"]').waitFor();
        return reader;
      },
    },
  ];

  it('walks through sign-up by keyboard alone: copy the address, open the mail, copy its code, close it with Escape', async () => {
    // 360 px: one pane at a time, as on a phone.
    const page = await harness.newPage({ permissions: ['clipboard-read', 'clipboard-write'], viewport: { width: 360, height: 740 } });
    await page.goto('/');
    const address = await shownAddress(page);
    await page.locator('#connection[data-state="live"]').waitFor();

    await tabTo(page, '#copy-address');
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboard(page)).toBe(address);

    await harness.send({ to: address, subject: 'Confirm your email', text: 'Your verification code is 482913.' });
    await page.locator('.message-row').waitFor();
    await tabTo(page, '.message-link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('message-subject') === true);

    await tabTo(page, '.btn-copy-code');
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboard(page)).toBe('482913');

    // The tabs: Tab reaches the selected one, an arrow key moves to the next and shows its panel.
    await tabTo(page, '[role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    expect(await focusStop(page, '[role="tab"][aria-selected="true"]')).toMatchObject({ matches: true, ring: true, label: expect.stringContaining('Headers') });
    await page.locator('.headers-table').waitFor();

    // Escape closes the message, wherever focus is in it.
    await page.keyboard.press('Escape');
    await page.locator('#message-view').waitFor({ state: 'hidden' });
    // Focus comes back to the message's row, now read.
    await page.waitForFunction(() => document.activeElement?.matches('.message-row:not(.is-unread) > .message-link') === true);
  });

  it('draws a focus ring on every stop of the Tab order, through the addresses, an open message and its report', async () => {
    await reader.setViewportSize({ width: 1280, height: 800 });
    await readerWithSavedList();
    await reader.goto(`/inbox/${readerAddress}/${richId}`);
    await reader.getByRole('tab', { name: 'Report' }).click();
    await reader.locator('.report').waitFor();
    // From wherever focus is to the end, then one whole round from the first stop.
    await stopsToEnd(reader);
    const stops = await stopsToEnd(reader);
    // The round went through buttons, menus, the addresses, the rows' links, the tabs and the report's folded checks.
    expect(stops.map((stop) => stop.label)).toEqual(expect.arrayContaining([
      'button#copy-address "Copy"', expect.stringMatching(/^select#new-domain /), expect.stringMatching(/^button "Forget /),
      expect.stringMatching(/^a ".*Your Acme verification code/), expect.stringMatching(/^button#tabs-\d+-report-tab "Report"/),
      expect.stringMatching(/^summary "\d+ checks passed"/),
    ]));
    expect(stops.filter((stop) => !stop.ring).map((stop) => stop.label)).toEqual([]);
  });

  for (const screen of screens) {
    it(`axe finds nothing on ${screen.name}, in light and dark, at 1280 and 360 px`, async () => {
      const page = await screen.show();
      const found: string[] = [];
      for (const { colorScheme, width } of VARIANTS) {
        await page.setViewportSize({ width, height: 800 });
        await page.emulateMedia({ colorScheme });
        const violations = await axeViolations(page);
        if (violations.length > 0) found.push(`${colorScheme}, ${width} px:\n${describeViolations(violations)}`);
      }
      if (found.length > 0) expect.fail(found.join('\n\n'));
    });
  }
});
