import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIST_MAX_MESSAGES } from '../../src/http/api/message-filter.js';
import type { ApiEventFrame, ApiMessageList } from '../../src/http/api/types.js';
import { SUMMARY_MAX_JSON_BYTES } from '../../src/mail/read/digest.js';
import { jsonBytes } from '../../src/mail/read/display-text.js';
import { timedDelivery } from '../smtp-hostile/clients.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl } from '../ws/ws-client.js';

/**
 * Finding 1 of issue 19, scaled down: 200 messages of 136 KB (names of
 * control characters in encoded words, 100 long recipients) made every
 * `limit=200` listing and every hello of their inbox a 123 MB JSON document
 * built on the main thread, and kept /healthz waiting for seconds. Here 40
 * such messages of 133 KB (some 420 KB of JSON each before the fix) are
 * stored over SMTP, then listed and greeted by several clients at once.
 */
const HOSTILE_MESSAGES = 40;
const CLIENTS = 5;
const ROUNDS = 3;
const RECIPIENTS = 100;
// A listing or a hello at its largest: 200 summaries, their commas, and the address around them.
const PAGE_MAX_BYTES = LIST_MAX_MESSAGES * (SUMMARY_MAX_JSON_BYTES + 1) + 2_048;
const INBOX = 'attacked@ephemail.test';

function controlCharacters(count: number): string {
  return `=?utf-8?B?${Buffer.from('\x01'.repeat(count)).toString('base64')}?=`;
}

function hostileMessage(index: number): string {
  const recipients = Array.from({ length: RECIPIENTS }, (_, i) => `${controlCharacters(600)} <${'r'.repeat(500)}${i}@example.com>`);
  return [
    `From: ${controlCharacters(600)} <${'s'.repeat(500)}@example.com>`,
    `To: ${recipients.join(',\r\n ')}`,
    `Subject: ${controlCharacters(600)} ${index}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${'\x01'.repeat(1_000)} the body`,
    '',
  ].join('\r\n');
}

async function storeHostileMail(server: TestServer): Promise<number> {
  const transport = mailer(server.smtpPort, { pool: true });
  let bytes = 0;
  try {
    for (let i = 0; i < HOSTILE_MESSAGES; i++) {
      const raw = hostileMessage(i);
      bytes += raw.length;
      await transport.sendMail({ envelope: { from: 'attacker@example.com', to: [INBOX] }, raw });
    }
  } finally {
    transport.close();
  }
  return bytes;
}

/** One limit=200 listing: its size in bytes and its summaries. */
async function listing(server: TestServer): Promise<{ bytes: number; list: ApiMessageList }> {
  const response = await fetch(`${server.httpUrl}/api/inboxes/${INBOX}/messages?limit=${LIST_MAX_MESSAGES}`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { bytes: Buffer.byteLength(text), list: JSON.parse(text) as ApiMessageList };
}

/** The hello frame of a new events socket, as sent: its size in bytes and the frame. */
function hello(server: TestServer): Promise<{ bytes: number; frame: ApiEventFrame }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(eventsUrl(server.httpPort, INBOX));
    ws.once('message', (data: Buffer) => {
      ws.close();
      resolve({ bytes: data.length, frame: JSON.parse(data.toString('utf8')) as ApiEventFrame });
    });
    ws.once('error', reject);
  });
}

/** Runs `probe` again and again until `until` settles; resolves to how long each run took, in ms. */
async function timedWhile(until: Promise<unknown>, probe: () => Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => { done = true; }).catch(() => undefined);
  const times: number[] = [];
  while (!done) {
    const started = performance.now();
    await probe();
    times.push(performance.now() - started);
  }
  return times;
}

const worst = (times: number[]) => Math.max(...times);

describe('an inbox of summaries built to grow in JSON', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Every client here is 127.0.0.1; the rate limit is not what is measured.
    server = await startTestServer(['--rate-limit', '1000000', '--rate-burst', '1000000']);
    // The parse worker starts on the first digest, which is start-up, not the attack.
    await timedDelivery(server.smtpPort, 'warm-up@ephemail.test', 'warm-up');
    await fetch(`${server.httpUrl}/api/inboxes/warm-up@ephemail.test/messages`);
  });

  afterAll(() => server.close(0));

  it('lists and greets within the byte bound while /healthz and a good delivery stay under a second', async () => {
    const sent = await storeHostileMail(server);
    const started = performance.now();
    const attack = (async () => {
      const listings: number[] = [];
      const hellos: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const [lists, greetings] = await Promise.all([
          Promise.all(Array.from({ length: CLIENTS }, () => listing(server))),
          Promise.all(Array.from({ length: CLIENTS }, () => hello(server))),
        ]);
        for (const { bytes, list } of lists) {
          expect(list.messages).toHaveLength(HOSTILE_MESSAGES);
          for (const summary of list.messages) expect(jsonBytes(summary)).toBeLessThanOrEqual(SUMMARY_MAX_JSON_BYTES);
          listings.push(bytes);
        }
        for (const { bytes, frame } of greetings) {
          expect(frame).toMatchObject({ type: 'hello', more: false, messages: expect.any(Array) });
          if (frame.type === 'hello') expect(frame.messages).toHaveLength(HOSTILE_MESSAGES);
          hellos.push(bytes);
        }
      }
      return { listings, hellos };
    })();
    const [health, deliveries, { listings, hellos }] = await Promise.all([
      timedWhile(attack, () => fetch(`${server.httpUrl}/healthz`).then((response) => response.text())),
      timedWhile(attack, () => timedDelivery(server.smtpPort, 'good@ephemail.test', 'delivered while listed')),
      attack,
    ]);
    const attackMs = performance.now() - started;

    console.info(`[hostile] ${HOSTILE_MESSAGES} messages of ${Math.round(sent / HOSTILE_MESSAGES / 1024)} KB; `
      + `${listings.length} listings of at most ${worst(listings)} bytes and ${hellos.length} hellos of at most ${worst(hellos)} bytes in ${attackMs.toFixed(0)} ms; `
      + `/healthz worst ${worst(health).toFixed(0)} ms of ${health.length}; good delivery worst ${worst(deliveries).toFixed(0)} ms of ${deliveries.length}`);
    expect(worst([...listings, ...hellos])).toBeLessThanOrEqual(PAGE_MAX_BYTES);
    expect(worst(listings)).toBeLessThanOrEqual(HOSTILE_MESSAGES * (SUMMARY_MAX_JSON_BYTES + 1) + 2_048);
    expect(worst(health)).toBeLessThan(1_000);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(worst(deliveries)).toBeLessThan(1_000);
  });
});
