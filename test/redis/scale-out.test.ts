import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startProgram, type RunningProgram } from '../support/cli-process.js';
import { BEHIND_PROXY_ENV, skipHaproxyTests, startHaproxy, type Haproxy } from '../support/haproxy.js';
import { mailer } from '../support/mailer.js';
import { freePort, skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { metric } from '../support/scrape.js';
import { openEvents } from '../ws/ws-client.js';

type Json = Record<string, any>;

// Loading the TypeScript sources through tsx takes a second or two per process, more on a busy machine.
const STARTUP_MS = 60_000;
// Clients connect from loopback addresses of their own; the proxy reaches the instances from 127.0.0.1.
const CLIENT = { smtp: '127.0.0.7', live: '127.0.0.8', capped: '127.0.0.9', neighbour: '127.0.0.10', failover: '127.0.0.11', outage: '127.0.0.12' };

/** One Ephemail process behind the proxy, and the ports it printed in its banner. */
interface Instance {
  program: RunningProgram;
  smtpPort: number;
  httpPort: number;
}

const address = (name: string) => `${name}-${randomUUID().slice(0, 8)}@ephemail.test`;

async function startInstance(redisUrl: string, publicUrl: string): Promise<Instance> {
  const program = startProgram([
    '--store', redisUrl, '--smtp-port', '0', '--http-port', '0', '--parse-workers', '1', '--dns-servers', 'off',
    '--ws-max-per-client', '1', '--public-url', publicUrl,
  ], { env: { ...BEHIND_PROXY_ENV } });
  const banner = await vi.waitFor(() => {
    const match = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(program.stdout());
    if (match === null) throw new Error(`no banner yet:\n${program.stdout()}`);
    return match;
  }, { timeout: STARTUP_MS, interval: 50 });
  return { program, smtpPort: Number(banner[1]), httpPort: Number(banner[2]) };
}

/** GET `path` on 127.0.0.1:`port` from the local address `from`: the status and the body as text. */
function get(port: number, path: string, from: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: from, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The same, as JSON. */
async function getJson(port: number, path: string, from: string): Promise<{ status: number; body: Json }> {
  const { status, text } = await get(port, path, from);
  return { status, body: JSON.parse(text) as Json };
}

/** A WebSocket handshake from `from`: the open socket, or the refusal the server answered. */
function handshake(url: string, from: string, origin: string): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress: from, origin });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (req, response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, body }); req.destroy(); });
    });
    ws.once('error', reject);
  });
}

describe.skipIf(skipRedisTests() || skipHaproxyTests())('two instances on one Redis behind HAProxy (docs/haproxy.cfg), as compose.yaml runs them', () => {
  let redis: RedisServer | undefined;
  let proxy: Haproxy | undefined;
  let a: Instance;
  let b: Instance;
  const ports = { smtp: 0, http: 0 };
  const sockets: WebSocket[] = [];
  let origin = '';

  beforeAll(async () => {
    redis = await startRedisServer();
    ports.smtp = await freePort();
    ports.http = await freePort();
    origin = `http://127.0.0.1:${ports.http}`;
    [a, b] = await Promise.all([startInstance(redis.url, origin), startInstance(redis.url, origin)]);
    proxy = await startHaproxy({
      LISTEN_SMTP: `127.0.0.1:${ports.smtp}`, LISTEN_HTTP: `127.0.0.1:${ports.http}`,
      BACKEND_A_SMTP: `127.0.0.1:${a.smtpPort}`, BACKEND_A_HTTP: `127.0.0.1:${a.httpPort}`,
      BACKEND_B_SMTP: `127.0.0.1:${b.smtpPort}`, BACKEND_B_HTTP: `127.0.0.1:${b.httpPort}`,
    }, ports.http);
  }, STARTUP_MS * 2);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await proxy?.stop();
    for (const instance of [a, b]) instance?.program.kill('SIGTERM');
    await Promise.all([a?.program.done, b?.program.done]);
    await redis?.stop();
  });

  /** Sends one message through the proxy from the client address `from`. */
  const send = (from: string, to: string, subject: string) =>
    mailer(ports.smtp, { localAddress: from, name: 'relay.sender.test' }).sendMail({ from: 'app@sender.test', to, subject, text: `Your code is 482913 (${subject})` });

  /** Messages each instance has taken over SMTP so far, read from its own /metrics. */
  const received = async () => ({
    a: await metric(a.httpPort, 'ephemail_messages_received_total'),
    b: await metric(b.httpPort, 'ephemail_messages_received_total'),
  });

  it('lists and serves mail sent through the proxy whichever instance took it, with the sender\'s own address', async () => {
    const inbox = address('one-service');
    const before = await received();
    for (let i = 0; i < 6; i++) await send(CLIENT.smtp, inbox, `message ${i}`);
    const after = await received();
    // Both took some, so some of what is read below went in through the other instance.
    expect(after.a - before.a).toBeGreaterThan(0);
    expect(after.b - before.b).toBeGreaterThan(0);
    expect(after.a - before.a + after.b - before.b).toBe(6);

    const list = await getJson(ports.http, `/api/inboxes/${inbox}/messages`, CLIENT.smtp);
    const summaries = (Array.isArray(list.body) ? list.body : list.body.messages) as Json[];
    expect(summaries.map((summary) => summary.subject).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `message ${i}`));
    for (const summary of summaries) {
      const message = await getJson(ports.http, `/api/inboxes/${inbox}/messages/${summary.id}`, CLIENT.smtp);
      expect(message.body).toMatchObject({ subject: summary.subject, codes: ['482913'] });
      // The PROXY header's address, not the proxy's 127.0.0.1.
      expect(message.body.envelope.session).toMatchObject({ clientIp: CLIENT.smtp, helo: 'relay.sender.test' });
    }
    const report = await getJson(ports.http, `/api/inboxes/${inbox}/messages/${summaries[0]?.id}/report`, CLIENT.smtp);
    expect(report.body.timeline.hops.at(-1).from).toBe(`relay.sender.test [${CLIENT.smtp}]`);
  });

  it('pushes over a WebSocket opened through the proxy the mail that either instance took', async () => {
    const inbox = address('live');
    const events = await openEvents(`ws://127.0.0.1:${ports.http}/api/inboxes/${inbox}/events`, { localAddress: CLIENT.live, origin });
    sockets.push(events.ws);
    expect(await events.next()).toMatchObject({ type: 'hello', messages: [] });
    const before = await received();
    for (let i = 0; i < 4; i++) await send(CLIENT.smtp, inbox, `live ${i}`);
    const frames = [await events.next(), await events.next(), await events.next(), await events.next()];
    expect(frames.map((frame) => (frame as Json).message?.subject).sort()).toEqual(['live 0', 'live 1', 'live 2', 'live 3']);
    const after = await received();
    // The socket is on one instance; the other took at least one of these.
    expect(after.a - before.a).toBeGreaterThan(0);
    expect(after.b - before.b).toBeGreaterThan(0);
  });

  it('answers long polls through the proxy: a 408 when the wait runs out, the message when it arrives', async () => {
    const inbox = address('wait');
    const empty = await getJson(ports.http, `/api/inboxes/${inbox}/wait?timeout=2`, CLIENT.smtp);
    expect(empty).toMatchObject({ status: 408, body: { code: 'no_message_yet' } });
    const waiting = getJson(ports.http, `/api/inboxes/${inbox}/wait?timeout=30`, CLIENT.smtp);
    await send(CLIENT.smtp, inbox, 'waited for');
    expect(await waiting).toMatchObject({ status: 200, body: { subject: 'waited for' } });
  });

  it('counts an HTTP client by the address the proxy appended, on both instances together: its live-socket cap refuses it, not its neighbour', async () => {
    const url = `ws://127.0.0.1:${ports.http}/api/inboxes/${address('capped')}/events`;
    const refusedOn = async () => ({
      a: await metric(a.httpPort, 'ephemail_http_connections_refused_total{reason="too_many_event_sockets"}'),
      b: await metric(b.httpPort, 'ephemail_http_connections_refused_total{reason="too_many_event_sockets"}'),
    });
    const before = await refusedOn();
    // --ws-max-per-client 1, and round robin sends the second handshake to the other instance:
    // counted per instance it would open there; counted in Redis it is refused.
    const first = await handshake(url, CLIENT.capped, origin);
    expect(first).toHaveProperty('ws');
    if ('ws' in first) sockets.push(first.ws);
    expect(await handshake(url, CLIENT.capped, origin)).toEqual({ status: 429, body: expect.stringContaining('Your address has 1 live event sockets open') });
    const after = await refusedOn();
    expect(after.a - before.a + after.b - before.b).toBe(1);
    const neighbour = await handshake(url, CLIENT.neighbour, origin);
    expect(neighbour).toHaveProperty('ws');
    if ('ws' in neighbour) sockets.push(neighbour.ws);
    // Logs are JSON lines after the banner; the refusal names the client, not the proxy.
    const logLines = () => (a.program.stdout() + b.program.stdout()).split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Json);
    await expect.poll(logLines, { timeout: 5_000 }).toContainEqual(expect.objectContaining({ reason: 'too_many_event_sockets', remote: CLIENT.capped }));
  });

  it('answers with its own 503 store_unavailable and SMTP 451 while Redis is away, not the proxy\'s error, and takes neither instance out', async () => {
    if (redis === undefined) throw new Error('no redis');
    const inbox = encodeURIComponent(address('outage'));
    const path = `/api/inboxes/${inbox}/messages`;
    const seenBefore = proxy?.output().length ?? 0;
    await redis.kill();
    try {
      await expect.poll(async () => (await get(ports.http, path, CLIENT.outage)).status, { timeout: 10_000 }).toBe(503);
      // A check that asked the store would take an instance out after one failed check a second:
      // for three seconds every answer is still Ephemail's own, through the proxy.
      for (const until = Date.now() + 3_000; Date.now() < until; await delay(250)) {
        const answer = await getJson(ports.http, path, CLIENT.outage);
        expect(answer).toMatchObject({ status: 503, body: { code: 'store_unavailable', detail: expect.stringMatching(/^The message store \(Redis\) cannot be reached/) } });
      }
      await expect(send(CLIENT.outage, address('outage'), 'while Redis is away')).rejects.toMatchObject({ responseCode: 451 });
      expect(proxy?.output().slice(seenBefore)).not.toMatch(/is DOWN/);
    } finally {
      await redis.restart();
    }
    await expect.poll(async () => (await get(ports.http, path, CLIENT.outage)).status, { timeout: 15_000 }).toBe(200);
  });

  it('takes a stopping instance out before it refuses, so no client connecting after the stop gets a 421, and loses no acknowledged mail', async () => {
    const inbox = address('failover');
    const acknowledged: string[] = [];
    const givenUp: string[] = [];
    // Failed attempts, with when each began: one that began after the stop was sent somewhere it should not have been.
    const failures: Array<{ startedAt: number; error: string }> = [];
    let sent = 0;
    let stopSending = false;
    // Three clients sending one message after another; one that is refused or cut retries, as a mail server would.
    const sender = async () => {
      while (!stopSending) {
        const subject = `failover ${sent++}`;
        let delivered = false;
        for (let attempt = 0; attempt < 10 && !delivered; attempt++) {
          const startedAt = Date.now();
          delivered = await send(CLIENT.failover, inbox, subject).then(() => true, (error: Error) => {
            failures.push({ startedAt, error: error.message });
            return false;
          });
        }
        (delivered ? acknowledged : givenUp).push(subject);
      }
    };
    const senders = Promise.all([sender(), sender(), sender()]);
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(3), { timeout: 20_000 });
    const stopBegan = Date.now();
    a.program.kill('SIGTERM');
    expect((await a.program.done).code).toBe(0);
    // It served while the proxy's check saw /readyz answer 503 stopping, and exited only once it was out.
    expect(proxy?.output()).toMatch(/ephemail-http\/a is DOWN/);
    const atStop = acknowledged.length;
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(atStop + 6), { timeout: 20_000 });
    stopSending = true;
    await senders;
    expect(givenUp).toEqual([]);
    expect(failures.filter(({ startedAt }) => startedAt >= stopBegan)).toEqual([]);
    expect((await getJson(ports.http, '/healthz', CLIENT.failover)).status).toBe(200);
    // The stop takes a few seconds now, and the senders go on: ask for more than the default page of 50.
    const list = await getJson(ports.http, `/api/inboxes/${inbox}/messages?limit=200`, CLIENT.failover);
    const subjects = ((Array.isArray(list.body) ? list.body : list.body.messages) as Json[]).map((summary) => summary.subject as string);
    expect(subjects.sort()).toEqual([...acknowledged].sort());
  });
});
