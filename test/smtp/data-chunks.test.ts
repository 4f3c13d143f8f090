import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createSystemClock } from '../../src/runtime/clock.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { asArrived } from '../../src/smtp/data-chunks.js';
import { createSmtpIntake, type Deliver, type SmtpIntake } from '../../src/smtp/server.js';
import { selfSignedCertificate } from '../../src/smtp/tls.js';
import { joinRaw, type RawBytes } from '../../src/store/raw-bytes.js';
import { mailer } from '../support/mailer.js';
import { sendRaw } from '../support/smtp-dialog.js';

/** Lines of 76 characters, as base64 attachments come, to about `bytes`; `dotEvery` starts every so many with a dot. */
function body(bytes: number, dotEvery = 0): Buffer {
  const lines = ['Subject: chunks', ''];
  for (let index = 0; lines.length * 78 < bytes; index++) {
    const line = (index.toString(36) + 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'.repeat(3)).slice(0, 76);
    lines.push(dotEvery > 0 && index % dotEvery === 0 ? `.${line.slice(1)}` : line);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
}

/** At most the few bytes of the final dot beside each chunk: what the store counts is what it holds. */
function expectTight(raw: RawBytes): void {
  for (const chunk of Buffer.isBuffer(raw) ? [raw] : raw) expect(chunk.buffer.byteLength - chunk.length).toBeLessThanOrEqual(64);
}

describe('the bytes of a message as the SMTP intake hands them to the store', () => {
  const delivered: RawBytes[] = [];
  let intake: SmtpIntake;
  let port: number;

  beforeAll(async () => {
    const config = parseConfig(['--smtp-port', '0'], {});
    const deliver: Deliver = async (_envelope, raw) => {
      delivered.push(raw);
      return [];
    };
    intake = createSmtpIntake({
      config: config.smtp, domains: config.domains, tls: await selfSignedCertificate('localhost'), deliver, shareOf: async () => null,
      log: pino({ enabled: false }), metrics: createMetrics(async () => ({ messages: 0, bytes: 0 })), clock: createSystemClock(),
    });
    port = await intake.listen();
  });
  afterAll(() => intake.close(0));

  function taken(message: Buffer): RawBytes {
    const raw = delivered.pop();
    if (raw === undefined) throw new Error('nothing was delivered');
    expect(joinRaw(raw).equals(message)).toBe(true);
    return raw;
  }

  async function deliver(message: Buffer): Promise<RawBytes> {
    const replies = await sendRaw(port, { to: ['chunks@ephemail.test'], body: message });
    expect(replies.at(-1)?.code).toBe(250);
    return taken(message);
  }

  it('hands over a message of many reads in its chunks, each holding little beyond itself', async () => {
    const raw = await deliver(body(400_000));
    expect(Array.isArray(raw) && raw.length > 1).toBe(true);
    expectTight(raw);
  });

  it('copies alone the pieces cut out of a larger read around dot-stuffed lines', async () => {
    const raw = await deliver(body(400_000, 500));
    expect(Array.isArray(raw) && raw.length > 1).toBe(true);
    expectTight(raw);
  });

  it('keeps the chunks of a message sent over STARTTLS too', async () => {
    const message = body(300_000);
    await mailer(port, { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } })
      .sendMail({ envelope: { from: 'sender@example.com', to: ['chunks@ephemail.test'] }, raw: message });
    const raw = taken(message);
    expect(Array.isArray(raw) && raw.length > 1).toBe(true);
    expectTight(raw);
  });

  it('hands over a message of one read as that one Buffer', async () => {
    const raw = await deliver(body(8_000));
    expect(Buffer.isBuffer(raw)).toBe(true);
    expectTight(raw);
  });
});

describe('asArrived', () => {
  // A Buffer of its own, not a slice of Node's shared pool.
  const own = (bytes: number, fill: string) => Buffer.alloc(bytes, fill);
  const total = (chunks: Buffer[]) => chunks.reduce((sum, chunk) => sum + chunk.length, 0);

  it('keeps chunks that are whole buffers, and a single one as it is', () => {
    const chunks = [own(65_536, 'a'), own(30_000, 'b')];
    const raw = asArrived([...chunks], total(chunks));
    expect(Array.isArray(raw) && raw.every((chunk, index) => chunk === chunks[index])).toBe(true);
    const [single] = chunks;
    expect(asArrived([single!], single!.length)).toBe(single);
  });

  it('copies a chunk that is a slice of a larger buffer, or of the shared pool, and keeps the rest', () => {
    const chunks = [own(65_536, 'a'), own(30_000, 'b').subarray(0, 20_000), Buffer.from('short, from the pool\r\n')];
    const raw = asArrived([...chunks], total(chunks));
    expect(Array.isArray(raw) && raw.length).toBe(3);
    const kept = raw as readonly Buffer[];
    expect(kept[0]).toBe(chunks[0]);
    expect(kept[1]).not.toBe(chunks[1]);
    expect(joinRaw(raw).equals(Buffer.concat(chunks))).toBe(true);
    expectTight(raw);
  });

  it('joins a single chunk that is a slice of a larger buffer', () => {
    const slice = own(30_000, 'b').subarray(0, 20_000);
    const raw = asArrived([slice], slice.length);
    expect(Buffer.isBuffer(raw) && raw !== slice && raw.equals(slice)).toBe(true);
    expectTight(raw);
  });

  it('joins many small chunks, each an object the store would not count', () => {
    const chunks = Array.from({ length: 100 }, () => own(100, 'c'));
    const raw = asArrived(chunks, total(chunks));
    expect(Buffer.isBuffer(raw) && raw.length).toBe(10_000);
  });

  it('makes an empty message an empty Buffer', () => {
    expect(asArrived([], 0)).toEqual(Buffer.alloc(0));
  });
});
