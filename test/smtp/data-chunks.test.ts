import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createMetrics } from '../../src/metrics.js';
import { asArrived } from '../../src/smtp/data-chunks.js';
import { createSmtpIntake, type Deliver, type SmtpIntake } from '../../src/smtp/server.js';
import { selfSignedCertificate } from '../../src/smtp/tls.js';
import { joinRaw, type RawBytes } from '../../src/store/raw-bytes.js';
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
      config: config.smtp, domains: config.domains, tls: await selfSignedCertificate('localhost'), deliver,
      log: pino({ enabled: false }), metrics: createMetrics(async () => ({ messages: 0, bytes: 0 })),
    });
    port = await intake.listen();
  });
  afterAll(() => intake.close(0));

  async function deliver(message: Buffer): Promise<RawBytes> {
    const replies = await sendRaw(port, { to: ['chunks@ephemail.test'], body: message });
    expect(replies.at(-1)?.code).toBe(250);
    const raw = delivered.pop();
    if (raw === undefined) throw new Error('nothing was delivered');
    expect(joinRaw(raw).equals(message)).toBe(true);
    return raw;
  }

  it('hands over a message of many reads in its chunks, each holding little beyond itself', async () => {
    const raw = await deliver(body(400_000));
    expect(Array.isArray(raw)).toBe(true);
    const chunks = raw as readonly Buffer[];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.buffer.byteLength - chunk.length).toBeLessThanOrEqual(64);
  });

  it('joins chunks cut out of a larger read (dot-stuffed lines) into one Buffer', async () => {
    const raw = await deliver(body(400_000, 500));
    expect(Buffer.isBuffer(raw)).toBe(true);
  });

  it('hands over a message of one read as that one Buffer', async () => {
    const raw = await deliver(body(8_000));
    expect(Buffer.isBuffer(raw)).toBe(true);
  });
});

describe('asArrived', () => {
  // A Buffer of its own, not a slice of Node's shared pool.
  const own = (bytes: number, fill: string) => Buffer.alloc(bytes, fill);
  const total = (chunks: Buffer[]) => chunks.reduce((sum, chunk) => sum + chunk.length, 0);

  it('keeps chunks that are whole buffers, and a single one as it is', () => {
    const chunks = [own(65_536, 'a'), own(30_000, 'b')];
    expect(asArrived(chunks, total(chunks))).toBe(chunks);
    const [single] = chunks;
    expect(asArrived([single!], single!.length)).toBe(single);
  });

  it('joins them when one is a slice of a larger buffer', () => {
    const chunks = [own(65_536, 'a'), own(30_000, 'b').subarray(0, 20_000)];
    const raw = asArrived(chunks, total(chunks));
    expect(Buffer.isBuffer(raw) && raw.equals(Buffer.concat(chunks))).toBe(true);
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
