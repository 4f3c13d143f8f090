/**
 * Screenshots of the web inbox for docs/ (and for judging the design):
 *
 *   npx tsx test/browser/screenshots.ts [light|dark] [language]
 *
 * Starts a real Ephemail, sends realistic mail over SMTP, and photographs
 * the inbox and an open message at desktop and 360 px widths; in light mode,
 * also the Report tab of a newsletter signed with DKIM, its SPF, DKIM key
 * and DMARC published by a real DNS server (Debian's dnsmasq). The live
 * socket is stood in for by a hello frame built from the REST list, so the
 * pictures show the page as it looks when connected, whatever state the
 * WebSocket endpoint is in.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { compose, deliver, dkimKey } from '../deliverability/signed-mail.js';
import { launchChromium } from '../support/browser.js';
import { startDnsServer } from '../support/dns-server.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const scheme = process.argv[2] === 'dark' ? 'dark' : 'light';
// Another language (e.g. `light ru`) photographs the inbox on a desktop and a message on a phone, in it.
const language = process.argv[3] ?? 'en';
const suffix = `${scheme === 'dark' ? '-dark' : ''}${language === 'en' ? '' : `-${language}`}`;

async function sendSamples(server: TestServer, to: string): Promise<void> {
  const transport = mailer(server.smtpPort);
  await transport.sendMail({
    from: 'Northwind Billing <billing@northwind.example>',
    to,
    subject: 'Your receipt #10492',
    text: 'Thanks for your order.\n\nAmount: 24.00 EUR\nOrder: #10492\n\nThe invoice is attached.',
    attachments: [{ filename: 'invoice-10492.pdf', content: Buffer.alloc(48_213, 7), contentType: 'application/pdf' }],
  });
  await transport.sendMail({
    from: 'Brewly <hello@brewly.example>',
    to,
    subject: 'Welcome to Brewly — your first week of coffee',
    text: 'Welcome to Brewly! Here is what to expect in your first week.',
    html: `<div style="font-family:Georgia,serif;max-width:560px;margin:auto">
      <img src="https://cdn.brewly.example/banner.png" width="560" alt="Brewly">
      <h1 style="color:#6b3e26">Welcome to Brewly</h1>
      <p>Here is what to expect in your first week: three single-origin roasts, brewing guides and a tasting card.</p>
      <p><a href="https://brewly.example/start" style="background:#6b3e26;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Plan my first week</a></p>
      <img src="https://track.brewly.example/open.gif" width="1" height="1" alt="">
    </div>`,
  });
  await transport.sendMail({
    from: 'Acme Cloud <no-reply@acme.example>',
    to,
    subject: 'Your Acme verification code',
    text: 'Your verification code is 482913.\n\nOr confirm your email: https://acme.example/verify?token=9f8a7c\n\nThe code expires in 10 minutes.',
    html: `<div style="font-family:Helvetica,Arial,sans-serif;max-width:520px;margin:auto;color:#1f2937">
      <h2 style="margin:0 0 12px">Confirm your email</h2>
      <p>Use this code to finish signing up for Acme Cloud:</p>
      <p style="font-size:32px;font-weight:700;letter-spacing:6px;margin:16px 0">482913</p>
      <p>Or click the button:</p>
      <p><a href="https://acme.example/verify?token=9f8a7c" style="display:inline-block;background:#111827;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none">Verify email</a></p>
      <p style="color:#6b7280;font-size:13px">The code expires in 10 minutes. If you did not sign up, ignore this email.</p>
    </div>`,
  });
  transport.close();
}

const brewlyKey = dkimKey();
/** Brewly sends from this machine, signs as brewly.test and asks for quarantine of anything else. */
const BREWLY_ZONE = {
  txt: {
    'brewly.test': 'v=spf1 ip4:127.0.0.1 -all',
    'mail._domainkey.brewly.test': brewlyKey.record,
    '_dmarc.brewly.test': 'v=DMARC1; p=quarantine',
  },
};

/**
 * A signed newsletter that relays held for six minutes: authentication
 * passes, the report still finds what to fix (one-click unsubscribe, a
 * slow hop). Relays add their Received headers after signing, as in life.
 */
async function sendNewsletter(server: TestServer, to: string): Promise<void> {
  const minutes = (n: number) => new Date(Date.now() - n * 60_000);
  const raw = await compose({
    from: 'Brewly <hello@brewly.test>',
    to,
    date: minutes(8),
    subject: 'Your October roast is on its way',
    headers: { 'List-Unsubscribe': '<https://brewly.test/unsubscribe?u=5521>' },
    text: 'Your October roast, Huila washed, left the roastery this morning.\n\nTrack it: https://brewly.test/orders/5521',
    html: `<div style="font-family:Georgia,serif;max-width:560px;margin:auto">
      <h1 style="color:#6b3e26">Your October roast is on its way</h1>
      <p>Huila washed, roasted on Monday, left the roastery this morning.</p>
      <p><a href="https://brewly.test/orders/5521">Track my parcel</a></p>
    </div>`,
  }, { domain: 'brewly.test', selector: 'mail', key: brewlyKey });
  const received = (from: string, by: string, at: Date) => `Received: from ${from} (${from} [10.0.4.7]) by ${by} with ESMTPS; ${at.toUTCString()}\r\n`;
  const relayed = Buffer.concat([
    Buffer.from(received('smtp-out.brewly.test', 'mx-relay.brewly.test', minutes(1.5))),
    Buffer.from(received('app-7.brewly.test', 'smtp-out.brewly.test', minutes(7.9))),
    raw,
  ]);
  await deliver(server.smtpPort, relayed, { helo: 'mx-relay.brewly.test', mailFrom: 'bounce@brewly.test', to });
}

/** Stands in for the live socket: a hello frame with the inbox as the REST API lists it. */
async function helloFromRest(page: Page, server: TestServer): Promise<void> {
  await page.routeWebSocket(/\/events$/, async (socket) => {
    const address = decodeURIComponent(new URL(socket.url()).pathname.split('/')[3] ?? '');
    const response = await fetch(`${server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages`);
    const { messages } = await response.json() as { messages: unknown[] };
    socket.send(JSON.stringify({ type: 'hello', address, messages }));
  });
}

/**
 * A page at desktop or phone size showing `address` as its owner sees it,
 * live, with the `earlier` addresses of this browser listed.
 */
async function ownInbox(browser: Browser, server: TestServer, address: string, mobile: boolean, earlier: string[] = []): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.httpUrl,
    locale: language,
    viewport: mobile ? { width: 360, height: 780 } : { width: 1280, height: 860 },
    deviceScaleFactor: mobile ? 2 : 1,
    colorScheme: scheme,
    isMobile: mobile,
    hasTouch: mobile,
  });
  const page = await context.newPage();
  await helloFromRest(page, server);
  // Kept, so the pictures show the inbox as its owner sees it, not as a link's visitor does.
  for (const kept of [...earlier, address]) {
    await page.goto(`/#/inbox/${kept}`);
    await page.locator('#keep-address').click();
  }
  await page.locator('#connection[data-state="live"]').waitFor();
  return page;
}

async function shoot(browser: Browser, server: TestServer, addresses: Inboxes, mobile: boolean): Promise<void> {
  const { address, earlier } = addresses;
  const page = await ownInbox(browser, server, address, mobile, earlier);
  await page.locator('.message-row').nth(2).waitFor();
  // One message already read, as it would be in real use.
  await page.evaluate((inbox) => {
    const rows = [...document.querySelectorAll<HTMLElement>('.message-row')];
    const last = rows.at(-1)?.dataset.id;
    if (last !== undefined) localStorage.setItem('ephemail:read', JSON.stringify({ [inbox]: [last] }));
  }, address);
  await page.reload();
  await page.locator('.message-row').nth(2).waitFor();
  const width = mobile ? 'mobile' : 'desktop';
  if (language === 'en' || !mobile) await page.screenshot({ path: `${DOCS}inbox-${width}${suffix}.png`, fullPage: mobile });
  if (language !== 'en' && !mobile) return page.context().close();

  await page.locator('.message-row').first().locator('a').click();
  await page.locator('.code-value').waitFor();
  const frame = page.frameLocator('iframe.message-frame');
  await frame.locator('text=Confirm your email').waitFor();
  // The frame takes its height once its document has loaded.
  await page.waitForFunction(() => (document.querySelector('iframe.message-frame')?.getBoundingClientRect().height ?? 0) > 200);
  await page.screenshot({ path: `${DOCS}message-${width}${suffix}.png`, fullPage: mobile });
  await page.context().close();
}

/**
 * The Report tab of the one message in `address`. On a phone, the whole
 * page; on a desktop, whose message pane scrolls on its own, a window tall
 * enough for all of it, and the pane cut from the tabs down.
 */
async function shootReport(browser: Browser, server: TestServer, address: string, mobile: boolean): Promise<void> {
  const page = await ownInbox(browser, server, address, mobile);
  await page.locator('.message-row a').click();
  await page.locator('[role="tab"][data-key="report"]').click();
  await page.locator('.report-hop').first().waitFor();
  const path = `${DOCS}report-${mobile ? 'mobile' : 'desktop'}${suffix}.png`;
  if (mobile) {
    await page.screenshot({ path, fullPage: true });
  } else {
    await page.setViewportSize({ width: 1280, height: 2_400 });
    const pane = await page.locator('.message-pane').boundingBox();
    const tabs = await page.locator('.tabs-wrap').boundingBox();
    if (pane === null || tabs === null) throw new Error('the Report tab is not on screen');
    const top = tabs.y - 16;
    await page.screenshot({ path, clip: { x: pane.x - 16, y: top, width: pane.width + 32, height: pane.y + pane.height + 16 - top } });
  }
  await page.context().close();
}

/** The inbox on show, and the earlier addresses this browser keeps. */
interface Inboxes { address: string; earlier: string[] }

async function newInbox(server: TestServer): Promise<string> {
  const create = await fetch(`${server.httpUrl}/api/inboxes`, { method: 'POST' });
  return (await create.json() as { address: string }).address;
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const dns = await startDnsServer(BREWLY_ZONE);
  const server = await startTestServer(['--dns-servers', dns.address]);
  const browser = await launchChromium();
  try {
    const address = await newInbox(server);
    const earlier = await newInbox(server);
    await sendSamples(server, address);
    const transport = mailer(server.smtpPort);
    await transport.sendMail({ from: 'Northwind <hello@northwind.example>', to: earlier, subject: 'Welcome', text: 'Hello' });
    transport.close();
    await shoot(browser, server, { address, earlier: [earlier] }, false);
    await shoot(browser, server, { address, earlier: [earlier] }, true);
    // The README shows the report in light mode and English only.
    if (scheme === 'light' && language === 'en') {
      const newsletterInbox = await newInbox(server);
      await sendNewsletter(server, newsletterInbox);
      await shootReport(browser, server, newsletterInbox, false);
      await shootReport(browser, server, newsletterInbox, true);
    }
    console.log(`screenshots (${scheme}) written to ${DOCS}`);
  } finally {
    await browser.close();
    await server.close();
    await dns.stop();
  }
}

await main();
