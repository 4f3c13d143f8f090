import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { SendMailOptions } from 'nodemailer';
import { describe, it } from 'vitest';
import { mailer } from './mailer.js';
import { startTestServer, type TestServer } from './test-server.js';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless without the background chatter that would slow tests or reach the network.
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function inCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * A describe block for browser tests. It runs whenever Chromium is
 * installed. Without it, a developer's run skips the block, but CI fails:
 * there a missing browser means the page went untested, which must not pass
 * quietly.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    // A browser, a server and real SMTP per test: generous for loaded CI machines.
    describe(name, { timeout: 60_000 }, body);
  } else if (inCi()) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(`${CHROMIUM_PATH} is missing, so the browser tests cannot run; install it (apt-get install chromium).`);
      });
    });
  } else {
    describe.skip(name, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A real Ephemail on free ports and one Chromium, shared by a test file. */
export interface BrowserHarness {
  server: TestServer;
  browser: Browser;
  /** A fresh context (own localStorage), closed with the harness; in US English unless `locale` says otherwise. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context that fails the test on any script error in the page. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A new random address, made through the API as anyone could. */
  newInbox(): Promise<string>;
  /** Sends one message over real SMTP, from Acme unless it says otherwise. */
  send(message: SendMailOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserHarness(flags: string[] = []): Promise<BrowserHarness> {
  const server = await startTestServer(flags);
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const contexts: BrowserContext[] = [];
  const newContext = async (options: BrowserContextOptions = {}) => {
    // The page follows the browser's language: tests that read its English words must not depend on the machine's.
    const context = await browser.newContext({ baseURL: server.httpUrl, locale: 'en-US', ...options });
    contexts.push(context);
    return context;
  };
  return {
    server,
    browser,
    newContext,
    async newPage(options) {
      const context = await newContext(options);
      return context.newPage();
    },
    async newInbox() {
      const response = await fetch(`${server.httpUrl}/api/inboxes`, { method: 'POST' });
      return (await response.json() as { address: string }).address;
    },
    async send(message) {
      const transport = mailer(server.smtpPort);
      try {
        await transport.sendMail({ from: 'Acme <no-reply@acme.example>', ...message });
      } finally {
        transport.close();
      }
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.close();
    },
  };
}

/** Waits for the page to show an address and returns it. */
export async function shownAddress(page: Page): Promise<string> {
  const locator = page.locator('#address');
  await page.waitForFunction(() => /@/.test(document.getElementById('address')?.textContent ?? ''));
  return (await locator.textContent() ?? '').trim();
}

/** Console errors, which is where Chromium reports anything the page's CSP blocked. */
export function watchConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Collects what a page must never do while showing hostile mail. */
export function watchForScript(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}
