import { afterEach, describe, expect, it } from 'vitest';
import type { ApiMessage } from '../../src/http/api/types.js';
import { wellBehaved } from '../hostile/harness.js';
import { openDialog, type SmtpDialog, type SmtpReplyLines } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Shutdown (what SIGTERM runs) while eight clients are in the middle of
 * DATA. Six finish within the drain time, two never do. The promises: a
 * "250" means stored and readable (store and HTTP) for as long as the server
 * is up; nobody gets "250" for mail that was not stored; whoever connects
 * meanwhile gets 421.
 */

const CLIENTS = 8;
const FINISHING = 6;
const DRAIN_MS = 4_000;

interface Sender { index: number; inbox: string; dialog: SmtpDialog; body: string }

let server: TestServer | null = null;
afterEach(async () => { await server?.close(0); server = null; });

async function midData(app: TestServer, index: number): Promise<Sender> {
  const inbox = `load-${index}@ephemail.test`;
  const dialog = await openDialog(app.smtpPort);
  for (const line of [`EHLO load${index}.test`, 'MAIL FROM:<load@example.com>', `RCPT TO:<${inbox}>`]) expect((await dialog.command(line)).code).toBe(250);
  expect((await dialog.command('DATA')).code).toBe(354);
  const body = `Subject: load ${index}\r\n\r\n${'first half '.repeat(2_000)}\r\n`;
  await dialog.write(body);
  return { index, inbox, dialog, body };
}

describe('shutdown under load', () => {
  it('keeps every 250 readable until close resolves, and no 250 is ever unstored', async () => {
    server = await startTestServer();
    const app = server;
    expect(await wellBehaved(app)).toBe(true);
    const storedInboxes = new Set<string>();
    const senders = await Promise.all(Array.from({ length: CLIENTS }, (_, index) => midData(app, index)));
    // Watched, as a reader's socket would, so the store announces what it stores there.
    for (const { inbox } of senders) app.hub.subscribe(inbox, (event) => { if (event.type === 'message') storedInboxes.add(event.inbox); });

    let closed = false;
    const closing = app.close(DRAIN_MS).then(() => { closed = true; });
    const late = await openDialog(app.smtpPort);
    expect(late.greeting.code).toBe(421);

    const pending = senders.map((sender) => ({
      sender,
      replied: sender.dialog.read().catch((error: unknown): SmtpReplyLines => ({ code: 0, lines: [], text: String(error) })),
    }));
    const outcomes = await Promise.all(pending.map(async ({ sender, replied }, index) => {
      // The last two never send their final dot: the drain runs out on them.
      if (sender.index >= FINISHING) return { sender, reply: await replied, readable: false };
      // The others finish one after another through the drain, each once the one before has its reply.
      await pending[index - 1]?.replied;
      const rest = `second half ${sender.index}\r\n`;
      await sender.dialog.write(`${rest}.\r\n`);
      const reply = await replied;
      if (reply.code !== 250 || closed) return { sender, reply, readable: false };
      // Read at once, before close can have resolved: by the store and over HTTP.
      const [summary] = await app.summaries.list(sender.inbox);
      const stored = summary === undefined ? undefined : await app.store.get(sender.inbox, summary.id);
      const response = await fetch(`${app.httpUrl}/api/inboxes/${sender.inbox}/messages/${summary?.id}`);
      const message = response.status === 200 ? await response.json() as ApiMessage : null;
      const readable = stored?.raw.toString() === sender.body + rest && message?.subject === `load ${sender.index}`;
      return { sender, reply, readable: readable && !closed };
    }));
    await closing;

    for (const { sender, reply, readable } of outcomes) {
      const finished = sender.index < FINISHING;
      expect(reply.code, `client ${sender.index}: ${reply.text}`).toBe(finished ? 250 : 421);
      expect(readable, `client ${sender.index}`).toBe(finished);
      // No 250 without the message, and no message without its 250.
      expect(storedInboxes.has(sender.inbox), `client ${sender.index}`).toBe(reply.code === 250);
    }
    expect(closed).toBe(true);
    await expect(openDialog(app.smtpPort)).rejects.toThrow(/ECONNREFUSED/);
  }, 60_000);
});
