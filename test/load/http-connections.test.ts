import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { ApiProblemBody } from '../../src/http/api/types.js';
import { exposedGc } from '../support/gc.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';
import { destroyAll, rawClient, timedDelivery, type RawClient } from '../smtp-hostile/clients.js';
import { useHostileServer } from '../smtp-hostile/hostile-setup.js';
import { eventsUrl, openEvents, refusal, type EventClient } from '../ws/ws-client.js';

/**
 * Issue 19, findings 2 and 6, as an attacker on loopback would play them,
 * scaled down to seconds: one client holding sockets, WebSockets or
 * responses it never reads, while a neighbour's /healthz and SMTP delivery
 * are timed. Each attacker address is another client (127.0.0.x).
 */

const REFUSED = 'ephemail_http_connections_refused_total';
const MB = 1024 * 1024;
const { start, client, hold } = useHostileServer();

/** What a neighbour sees meanwhile: /healthz and a new SMTP connection's greeting and delivery, in ms. */
async function neighbour(app: { httpPort: number; smtpPort: number }): Promise<{ healthz: number; greeting: number; delivery: number }> {
  let started = performance.now();
  const health = await fetch(`http://127.0.0.1:${app.httpPort}/healthz`);
  expect(health.status).toBe(200);
  await health.body?.cancel();
  const healthz = performance.now() - started;
  started = performance.now();
  const smtp = await rawClient(app.smtpPort);
  expect(await smtp.firstLine).toMatch(/^220 /);
  const greeting = performance.now() - started;
  await destroyAll([smtp]);
  return { healthz, greeting, delivery: await timedDelivery(app.smtpPort, 'neighbour@ephemail.test', 'meanwhile') };
}

function expectServed(times: { healthz: number; greeting: number; delivery: number }): void {
  expect(times.healthz, '/healthz (ms)').toBeLessThan(1_000);
  expect(times.greeting, 'SMTP greeting (ms)').toBeLessThan(1_000);
  expect(times.delivery, 'SMTP delivery (ms)').toBeLessThan(1_000);
}

function problemIn(connection: RawClient): ApiProblemBody {
  return JSON.parse(connection.received().split('\r\n\r\n')[1] ?? '') as ApiProblemBody;
}

describe('silent sockets from one client', () => {
  const CAP = 64; // the default --http-max-connections-per-client
  const HEADERS_TIMEOUT_MS = 15_000;

  it('are capped, each over the cap answered 429, and all cut with 408 at the 15 s header timeout, while a neighbour is served', async () => {
    const app = await start([], { warm: true });
    const silent: RawClient[] = [];
    for (let i = 0; i < CAP; i++) silent.push(await client(app.httpPort, '127.0.0.2'));
    const during = await neighbour(app);
    for (let i = 0; i < 16; i++) {
      const over = await client(app.httpPort, '127.0.0.2');
      await over.closedAt;
      expect(over.received()).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
      expect(problemIn(over).detail).toBe('Your address has 64 connections open to this server, the most it allows one client; close some, then try again in 10 seconds.');
    }
    expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_connections_from_client"}`)).toBe(16);
    expect(app.logs.filter((line) => line.reason === 'too_many_connections_from_client')).toHaveLength(1);
    expectServed(during);

    // Node checks the header timeout every second here, so each is cut between 15 and about 16 s after it opened.
    const lifetimes = await Promise.all(silent.map(async (socket) => (await socket.closedAt) - socket.openedAt));
    console.info(`[http-hostile] ${CAP} silent sockets lived ${Math.min(...lifetimes).toFixed(0)} to ${Math.max(...lifetimes).toFixed(0)} ms; neighbour meanwhile: /healthz ${during.healthz.toFixed(0)} ms, SMTP greeting ${during.greeting.toFixed(0)} ms, delivery ${during.delivery.toFixed(0)} ms`);
    for (const socket of silent) expect(socket.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(Math.max(...lifetimes)).toBeLessThan(HEADERS_TIMEOUT_MS + 2_500);

    const again = await client(app.httpPort, '127.0.0.2');
    again.socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
    expect(await again.firstLine).toBe('HTTP/1.1 200 OK');
  }, 40_000);
});

describe('WebSockets from one client', () => {
  const CAP = 32; // the default --ws-max-per-client
  const INBOX = 'watched@ephemail.test';

  it('are refused past the cap with 429 and a sentence, while other clients connect and a neighbour is served', async () => {
    const app = await start([], { warm: true });
    const open: EventClient[] = [];
    try {
      for (let i = 0; i < CAP; i++) {
        const socket = await openEvents(eventsUrl(app.httpPort, INBOX), { localAddress: '127.0.0.2' });
        open.push(socket);
        expect((await socket.next()).type).toBe('hello');
      }
      for (let i = 0; i < 8; i++) {
        expect(await refusal(eventsUrl(app.httpPort, INBOX), { localAddress: '127.0.0.2' })).toEqual({
          status: 429, contentType: 'text/plain; charset=utf-8',
          body: 'Your address has 32 live event sockets open, the most this server allows one client; close one (another tab, perhaps) and reconnect.\n',
        });
      }
      const other = await openEvents(eventsUrl(app.httpPort, INBOX), { localAddress: '127.0.0.3' });
      open.push(other);
      expect((await other.next()).type).toBe('hello');
      expectServed(await neighbour(app));
      // Every socket that was let in still works: the mail reaches all of them.
      await timedDelivery(app.smtpPort, INBOX, 'to every watcher');
      for (const socket of open) expect((await socket.next()).type).toBe('message');
      expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_event_sockets"}`)).toBe(8);
    } finally {
      for (const socket of open) socket.ws.terminate();
    }
  });
});

describe('responses nobody reads', () => {
  const PER_CLIENT = 8;
  const ROUNDS = 3;
  // Larger than the socket buffers of both ends (4 MB and 6 MB here), so most of each response waits in the server.
  const TEXT_BYTES = 8 * MB;
  const INBOX = 'large@ephemail.test';

  it('are cut after --http-write-timeout, and RSS stays bounded however often they are asked for, while a neighbour is served', async () => {
    const app = await start(['--http-max-connections-per-client', String(PER_CLIENT), '--http-write-timeout', '1s'], { warm: true });
    await mailer(app.smtpPort).sendMail({ from: 'large@example.com', to: INBOX, subject: 'large', text: 'word '.repeat(TEXT_BYTES / 5) });
    const [head] = await app.store.list(INBOX);
    const path = `/api/inboxes/${INBOX}/messages/${head?.id}/raw`;

    // Read once, so the stored chunks are joined into the one Buffer every response then sends.
    await (await fetch(`http://127.0.0.1:${app.httpPort}${path}`)).arrayBuffer();
    exposedGc()();
    const baseline = process.memoryUsage();
    const peak = { rss: baseline.rss, arrayBuffers: baseline.arrayBuffers };
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    }, 20);
    const neighbours: Array<Awaited<ReturnType<typeof neighbour>>> = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const readers: RawClient[] = [];
        for (let i = 0; i < PER_CLIENT + 2; i++) {
          const reader = await rawClient(app.httpPort, '127.0.0.2');
          hold(reader);
          reader.socket.pause();
          reader.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
          readers.push(reader);
        }
        neighbours.push(await neighbour(app));
        // Cut server-side, which frees their slots for the next round.
        await expect.poll(() => metric(app.httpPort, `${REFUSED}{reason="write_timeout"}`)).toBe(PER_CLIENT * round);
        expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_connections_from_client"}`)).toBe(2 * round);
        await destroyAll(readers);
      }
    } finally {
      clearInterval(sampler);
    }
    const buffers = peak.arrayBuffers - baseline.arrayBuffers;
    const rss = peak.rss - baseline.rss;
    console.info(`[http-hostile] ${ROUNDS} rounds of ${PER_CLIENT} unread ${(head!.size / MB).toFixed(1)} MB messages: Buffers peak +${(buffers / MB).toFixed(1)} MB, RSS peak +${(rss / MB).toFixed(0)} MB over ${(baseline.rss / MB).toFixed(0)} MB; `
      + `neighbour /healthz worst ${Math.max(...neighbours.map((n) => n.healthz)).toFixed(0)} ms, SMTP delivery worst ${Math.max(...neighbours.map((n) => n.delivery)).toFixed(0)} ms`);
    for (const times of neighbours) expectServed(times);
    // Every response sends the stored Buffer itself: waiting ones pin it, none copies it (a copy each was 8 x 8 MB a round).
    expect(buffers).toBeLessThan(head!.size);
    expect(rss).toBeLessThan(PER_CLIENT * head!.size);
    expect(app.logs.filter((line) => line.reason === 'write_timeout')).toHaveLength(1);
  });
});

describe('the HTTP port at its total', () => {
  const TOTAL = 200;

  it('still answers /healthz within a second, refuses the rest with 503 and a sentence, and recovers when the sockets close', async () => {
    const app = await start(['--http-max-connections', String(TOTAL)], { warm: true });
    const silent: RawClient[] = [];
    // Four attackers of 50, within the per-client cap of 64.
    for (let i = 0; i < TOTAL; i++) silent.push(await client(app.httpPort, `127.0.0.${2 + Math.floor(i / 50)}`));
    expectServed(await neighbour(app));
    const busy = await fetch(`http://127.0.0.1:${app.httpPort}/api/domains`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('10');
    expect(await busy.json()).toMatchObject({
      code: 'server_busy',
      detail: 'This server has 200 connections open, the most it takes, and answers only /healthz until some close; please try again in 10 seconds.',
    });
    await destroyAll(silent);
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${app.httpPort}/api/domains`)).status).toBe(200);
  });
});
