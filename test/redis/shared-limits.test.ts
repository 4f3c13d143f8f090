import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { openDialog, sendRaw, type SmtpDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl, openEvents, refusal } from '../ws/ws-client.js';

// Each test is a client of its own, named in X-Forwarded-For (behind --trust-proxy), so tests never share a budget.
const LIMIT_FLAGS = [
  '--trust-proxy', 'true', '--rate-limit', '20', '--rate-burst', '20',
  '--max-waiters-per-client', '2', '--ws-max-per-client', '2', '--smtp-max-connections-per-ip', '2',
];

/** A Redis and two instances on it with one manual clock, for one describe block, with what its tests open closed afterwards. */
function useTwoInstances(clock: ManualClock) {
  const pair = { a: undefined as unknown as TestServer, b: undefined as unknown as TestServer, redis: undefined as unknown as RedisServer, admin: undefined as unknown as Redis };
  const opened: Array<() => void> = [];
  beforeAll(async () => {
    pair.redis = await startRedisServer();
    pair.admin = new Redis(pair.redis.url);
    const flags = ['--store', pair.redis.url, ...LIMIT_FLAGS];
    pair.a = await startTestServer(flags, { clock });
    pair.b = await startTestServer(flags, { clock });
  });
  afterAll(async () => {
    for (const close of opened) close();
    pair.admin?.disconnect();
    await pair.a?.close();
    await pair.b?.close();
    await pair.redis?.stop();
  });
  return { pair, opened };
}

const from = (client: string) => ({ headers: { 'x-forwarded-for': client } });
/** The leases of `client`'s slots named `kind` in Redis, on all instances: polled there, since a request per poll would spend the client's budget. */
const leasesIn = (pair: { admin: Redis }, kind: string, client: string) => pair.admin.zcard(`ephemail:limit:${kind}:${client}`);
const inbox = () => `limits-${randomUUID().slice(0, 8)}@ephemail.test`;

describe.skipIf(skipRedisTests())('per-client limits across two instances on one Redis', () => {
  const clock = createManualClock(Date.now());
  const { pair, opened } = useTwoInstances(clock);
  const socketOf = async (server: TestServer, client: string, to: string): Promise<WebSocket> => {
    const events = await openEvents(eventsUrl(server.httpPort, to), from(client));
    opened.push(() => events.ws.terminate());
    return events.ws;
  };

  it('answers a burst of 20 twenty times in all, alternating instances, then 429 with Retry-After on both', async () => {
    const client = '198.51.100.1';
    for (let i = 0; i < 20; i++) {
      const server = i % 2 === 0 ? pair.a : pair.b;
      expect((await fetch(`${server.httpUrl}/api/domains`, from(client))).status, `request ${i + 1}`).toBe(200);
    }
    for (const server of [pair.a, pair.b]) {
      const refused = await fetch(`${server.httpUrl}/api/domains`, from(client));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('3');
      expect(await refused.json()).toMatchObject({ code: 'rate_limited', detail: 'Too many requests from your address; try again in 3 seconds.' });
    }
    // Another client has a budget of its own; the refused ones cost nothing, so one token later the client is answered.
    expect((await fetch(`${pair.b.httpUrl}/api/domains`, from('198.51.100.2'))).status).toBe(200);
    clock.advance(3_000);
    expect((await fetch(`${pair.b.httpUrl}/api/domains`, from(client))).status).toBe(200);
  });

  it('spends the same budget on WebSocket handshakes on either instance', async () => {
    const client = '198.51.100.3';
    const to = inbox();
    for (let i = 0; i < 18; i++) expect((await fetch(`${pair.a.httpUrl}/api/domains`, from(client))).status).toBe(200);
    await socketOf(pair.a, client, to);
    await socketOf(pair.b, client, to);
    const refused = await refusal(eventsUrl(pair.a.httpPort, to), from(client));
    expect(refused).toMatchObject({ status: 429, body: 'Too many requests from your address; try again in 3 seconds.\n' });
    expect((await fetch(`${pair.b.httpUrl}/api/domains`, from(client))).status).toBe(429);
  });

  it('counts a client\'s waits on both instances, and frees a wait ended on one for both', async () => {
    const client = '198.51.100.4';
    const to = inbox();
    const held = (server: TestServer, signal?: AbortSignal) =>
      fetch(`${server.httpUrl}/api/inboxes/${to}/wait?timeout=20&subject=never`, { ...from(client), ...(signal ? { signal } : {}) }).catch(() => null);
    const onA = new AbortController();
    const onB = new AbortController();
    const waits = [held(pair.a, onA.signal), held(pair.b, onB.signal)];
    opened.push(() => onB.abort());
    await expect.poll(() => pair.a.hub.listenerCount(to) + pair.b.hub.listenerCount(to)).toBe(2);
    for (const server of [pair.b, pair.a]) {
      const refused = await fetch(`${server.httpUrl}/api/inboxes/${to}/wait?timeout=20`, from(client));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({
        code: 'too_many_waits', detail: 'Your address already has 2 waits for mail open, the most allowed; let one finish or cancel it, then try again in 5 seconds.',
      });
    }
    await sendMail(pair.a.smtpPort, to);
    onA.abort();
    await waits[0];
    // Freed on A once the release reaches Redis, a moment after the wait ends; then a wait on B gets the mail at once.
    await expect.poll(() => leasesIn(pair, 'waits', client)).toBe(1);
    expect((await fetch(`${pair.b.httpUrl}/api/inboxes/${to}/wait?timeout=20`, from(client))).status).toBe(200);
  });

  it('counts a client\'s event sockets on both instances, and frees one closed on either', async () => {
    const client = '198.51.100.5';
    const to = inbox();
    await socketOf(pair.a, client, to);
    const onB = await socketOf(pair.b, client, to);
    for (const server of [pair.a, pair.b]) {
      expect(await refusal(eventsUrl(server.httpPort, to), from(client))).toMatchObject({
        status: 429,
        body: 'Your address has 2 live event sockets open, the most this server allows one client; close one (another tab, perhaps) and reconnect.\n',
      });
    }
    onB.close();
    await expect.poll(() => leasesIn(pair, 'ws', client)).toBe(1);
    await socketOf(pair.a, client, to);
  });

  it('counts an address\'s SMTP connections on both instances: 421 with the sentence on the other', async () => {
    const dialogs: SmtpDialog[] = [];
    const dial = async (server: TestServer) => {
      const dialog = await openDialog(server.smtpPort, '127.0.0.1', '127.0.0.2');
      dialogs.push(dialog);
      opened.push(() => dialog.close());
      return dialog;
    };
    expect((await dial(pair.a)).greeting.code).toBe(220);
    expect((await dial(pair.b)).greeting.code).toBe(220);
    for (const server of [pair.a, pair.b]) {
      expect((await dial(server)).greeting.text).toBe(
        '421 4.7.0 Too many connections from your address: 2 are open, the most this server allows; close one or try again later.',
      );
    }
    // Another address is not affected.
    expect((await openDialog(pair.b.smtpPort, '127.0.0.1', '127.0.0.3')).greeting.code).toBe(220);
    dialogs[0]!.close();
    await expect.poll(async () => (await dial(pair.b)).greeting.code).toBe(220);
  });
});

async function sendMail(port: number, to: string): Promise<void> {
  const replies = await sendRaw(port, { to: [to], body: 'Subject: hello\r\n\r\nhello\r\n' });
  expect(replies.at(-1)?.code).toBe(250);
}
