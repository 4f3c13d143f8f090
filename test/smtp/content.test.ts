import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/mail/read/digest.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import type { MessageSummary } from '../../src/mail/read/digest.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const FIXTURES = new URL('../fixtures/mail/', import.meta.url);
const fixtureNames = (await readdir(FIXTURES)).filter((name) => name.endsWith('.eml')).sort();

function digestOf(summary: MessageSummary | undefined): unknown {
  if (summary === undefined) return undefined;
  const { from, to, toOmitted, subject, preview, attachmentCount, codes, parseFailed } = summary;
  return { from, to, toOmitted, subject, preview, attachmentCount, codes, parseFailed };
}

describe('message content over the wire', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(() => server.close());

  /** Sends bytes as they are (nodemailer raw + envelope) and returns what the store kept. */
  async function roundTrip(inbox: string, raw: Buffer) {
    await mailer(server.smtpPort).sendMail({ envelope: { from: 'sender@example.com', to: [inbox] }, raw });
    const [summary] = await server.summaries.list(inbox);
    const stored = await server.store.get(inbox, summary?.id ?? '');
    return { summary, stored };
  }

  it('finds the mail fixtures', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtureNames)('keeps %s byte for byte and digests it like parseMessage does', async (name) => {
    const raw = await readFile(new URL(name, FIXTURES));
    const inbox = `${name.replace(/\.eml$/, '').replace(/[^a-z0-9]+/g, '-')}@ephemail.test`;
    const { summary, stored } = await roundTrip(inbox, raw);
    expect(stored?.raw.equals(raw)).toBe(true);
    expect(summary?.size).toBe(raw.length);
    const expected = digestMessage(await parseMessage(raw));
    expect(summary?.subject).toBe(expected.subject);
    expect(digestOf(summary)).toEqual(expected);
  });

  it('undoes dot-stuffing exactly, whatever the lines start with', async () => {
    const raw = Buffer.from('Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle . dot\r\n. \r\nend\r\n');
    const { stored } = await roundTrip('dots@ephemail.test', raw);
    expect(stored?.raw.toString('latin1')).toBe(raw.toString('latin1'));
  });

  it('keeps 8-bit bytes that are not valid UTF-8', async () => {
    const raw = Buffer.concat([Buffer.from('Subject: bytes\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x80, 0x0d, 0x0a])]);
    const { stored, summary } = await roundTrip('bytes@ephemail.test', raw);
    expect(stored?.raw.equals(raw)).toBe(true);
    expect(summary?.parseFailed).toBe(false);
  });

  it('accepts a message the parser gives up on, keeps it raw and flags it', async () => {
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const raw = Buffer.from(
      `From: a@example.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus\r\n der Stadt\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`,
    );
    expect((await parseMessage(raw)).failed).toBe(true); // the premise: mailparser refuses it
    const { summary, stored } = await roundTrip('broken@ephemail.test', raw);
    expect(summary).toMatchObject({ parseFailed: true, subject: 'Grüße aus der Stadt', size: raw.length });
    expect(stored?.raw.equals(raw)).toBe(true);
  });
});
