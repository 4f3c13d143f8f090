import { afterEach, describe, expect, it } from 'vitest';
import type { ApiProblemBody } from '../../src/http/api/types.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';
import { destroyAll, type RawClient } from '../smtp-hostile/clients.js';
import { useHostileServer } from '../smtp-hostile/hostile-setup.js';
import { eventsUrl, openEvents, refusal, type EventClient } from '../ws/ws-client.js';

/**
 * The HTTP connection caps on a real server, from several loopback
 * addresses (each is another client): per client, in all with the /healthz
 * reserve, live event sockets per client, and the write timeout. The
 * counting alone is in connection-limits.test.ts; the same attacks at the
 * default sizes, timed, are in test/load/http-connections.test.ts.
 */

const REFUSED = 'ephemail_http_connections_refused_total';
const OPEN = 'ephemail_http_connections_open';
const INBOX = 'caps@ephemail.test';
const { start, client } = useHostileServer();
const sockets: EventClient[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.ws.terminate();
});

/** The status line, headers and problem of a connection answered before it sent anything. */
async function answerOf(connection: RawClient): Promise<{ status: string; headers: string; problem: ApiProblemBody }> {
  await connection.closedAt;
  const [head = '', body = ''] = connection.received().split('\r\n\r\n');
  const [status = '', ...headers] = head.split('\r\n');
  return { status, headers: headers.join('\n'), problem: JSON.parse(body) as ApiProblemBody };
}

/** Opens a connection from `localAddress`, sends GET `path` and resolves to the connection and its first status line. */
async function ask(port: number, localAddress: string, path = '/healthz'): Promise<{ connection: RawClient; status: string }> {
  const connection = await client(port, localAddress);
  // Refused connections have answered already; the request then goes nowhere, and that is fine.
  connection.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
  return { connection, status: await connection.firstLine };
}

async function events(port: number, localAddress: string, headers: Record<string, string> = {}): Promise<EventClient> {
  const socket = await openEvents(eventsUrl(port, INBOX), { localAddress, headers });
  sockets.push(socket);
  return socket;
}

describe('HTTP connections per client', () => {
  it('answers a connection past the cap at once with 429, a sentence and a close, silent ones counted; other addresses are served', async () => {
    const app = await start(['--http-max-connections-per-client', '3']);
    for (let i = 0; i < 3; i++) await client(app.httpPort, '127.0.0.2');
    const over = await answerOf(await client(app.httpPort, '127.0.0.2'));
    expect(over.status).toBe('HTTP/1.1 429 Too Many Requests');
    expect(over.headers).toMatch(/^Connection: close$/m);
    expect(over.headers).toMatch(/^retry-after: 10$/m);
    expect(over.headers).toMatch(/^Content-Type: application\/problem\+json$/m);
    expect(over.headers).toMatch(/^Referrer-Policy: no-referrer$/m);
    expect(over.problem).toEqual({
      type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'too_many_connections_from_client',
      detail: 'Your address has 3 connections open to this server, the most it allows one client; close some, then try again in 10 seconds.',
    });
    expect((await ask(app.httpPort, '127.0.0.3')).status).toBe('HTTP/1.1 200 OK');
    expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_connections_from_client"}`)).toBe(1);
    expect(app.logs.filter((line) => line.event === 'refused' && line.reason === 'too_many_connections_from_client')).toHaveLength(1);
  });

  it('gives a slot back when its connection closes', async () => {
    const app = await start(['--http-max-connections-per-client', '2']);
    const first = await client(app.httpPort, '127.0.0.2');
    await client(app.httpPort, '127.0.0.2');
    expect((await answerOf(await client(app.httpPort, '127.0.0.2'))).status).toBe('HTTP/1.1 429 Too Many Requests');
    await destroyAll([first]);
    await expect.poll(async () => (await ask(app.httpPort, '127.0.0.2')).status).toBe('HTTP/1.1 200 OK');
  });

  it('counts an open WebSocket as a connection until it closes', async () => {
    const app = await start(['--http-max-connections-per-client', '2']);
    const first = await events(app.httpPort, '127.0.0.2');
    await events(app.httpPort, '127.0.0.2');
    expect((await answerOf(await client(app.httpPort, '127.0.0.2'))).status).toBe('HTTP/1.1 429 Too Many Requests');
    first.ws.close();
    await first.closed;
    await expect.poll(async () => (await ask(app.httpPort, '127.0.0.2')).status).toBe('HTTP/1.1 200 OK');
    expect(await metric(app.httpPort, OPEN)).toBe(3);
  });

  it('is not applied behind a trusted proxy, where every connection is the proxy\'s', async () => {
    const app = await start(['--trust-proxy', 'true', '--http-max-connections-per-client', '2']);
    for (let i = 0; i < 4; i++) await client(app.httpPort, '127.0.0.2');
    expect((await ask(app.httpPort, '127.0.0.2')).status).toBe('HTTP/1.1 200 OK');
  });
});

describe('the HTTP total and its /healthz reserve', () => {
  it('answers /healthz past the total and refuses anything else with 503, then refuses connections past the reserve', async () => {
    const app = await start(['--http-max-connections', '4']);
    for (let i = 0; i < 4; i++) await client(app.httpPort, `127.0.0.${2 + i}`);
    const probe = await ask(app.httpPort, '127.0.0.9');
    expect(probe.status).toBe('HTTP/1.1 200 OK');
    await probe.connection.closedAt;
    expect(probe.connection.received()).toMatch(/^Connection: close$/mi);

    const api = await ask(app.httpPort, '127.0.0.9', '/api/domains');
    expect(api.status).toBe('HTTP/1.1 503 Service Unavailable');
    await api.connection.closedAt;
    expect(JSON.parse(api.connection.received().split('\r\n\r\n')[1] ?? '')).toMatchObject({
      code: 'server_busy',
      detail: 'This server has 4 connections open, the most it takes, and answers only /healthz until some close; please try again in 10 seconds.',
    });

    // The reserve is ten connections; silent ones fill it.
    for (let i = 0; i < 10; i++) await client(app.httpPort, `127.0.0.${10 + i}`);
    const over = await answerOf(await client(app.httpPort, '127.0.0.30'));
    expect(over.status).toBe('HTTP/1.1 503 Service Unavailable');
    expect(over.problem).toMatchObject({ code: 'server_busy', detail: 'This server has 4 connections open, the most it takes; please try again in 10 seconds.' });
  });
});

describe('live event sockets per client', () => {
  it('answers the handshake past the cap with 429 and a sentence; other clients connect, and a closed socket frees its slot', async () => {
    const app = await start(['--ws-max-per-client', '2']);
    const first = await events(app.httpPort, '127.0.0.2');
    await events(app.httpPort, '127.0.0.2');
    const refused = await refusal(eventsUrl(app.httpPort, INBOX), { localAddress: '127.0.0.2' });
    expect(refused).toEqual({
      status: 429, contentType: 'text/plain; charset=utf-8',
      body: 'Your address has 2 live event sockets open, the most this server allows one client; close one (another tab, perhaps) and reconnect.\n',
    });
    await events(app.httpPort, '127.0.0.3');
    expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_event_sockets"}`)).toBe(1);

    first.ws.close();
    await first.closed;
    await expect.poll(async () => {
      try {
        await events(app.httpPort, '127.0.0.2');
        return 'open';
      } catch {
        return 'refused';
      }
    }).toBe('open');
  });

  it('counts the client a trusted proxy appended', async () => {
    const app = await start(['--trust-proxy', 'true', '--ws-max-per-client', '1']);
    await events(app.httpPort, '127.0.0.2', { 'x-forwarded-for': '198.51.100.1' });
    const refused = await refusal(eventsUrl(app.httpPort, INBOX), { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(refused.status).toBe(429);
    await events(app.httpPort, '127.0.0.2', { 'x-forwarded-for': '198.51.100.2' });
  });
});

describe('responses nobody reads', () => {
  // Larger than the socket buffers of both ends, so most of it has to wait in the server.
  const BIG_TEXT = 'x'.repeat(8 * 1024 * 1024);

  async function storeBig(smtpPort: number): Promise<void> {
    await mailer(smtpPort).sendMail({ from: 'big@example.com', to: INBOX, subject: 'big', text: BIG_TEXT });
  }

  it('cuts a connection whose client takes no bytes for --http-write-timeout, and counts it', async () => {
    const app = await start(['--http-write-timeout', '1s']);
    await storeBig(app.smtpPort);
    const [head] = await app.store.list(INBOX);
    const reader = await client(app.httpPort, '127.0.0.2');
    reader.socket.pause();
    reader.socket.write(`GET /api/inboxes/${INBOX}/messages/${head?.id}/raw HTTP/1.1\r\nHost: test\r\n\r\n`);
    await expect.poll(() => metric(app.httpPort, `${REFUSED}{reason="write_timeout"}`)).toBe(1);
    reader.socket.resume();
    await reader.closedAt;
    expect(reader.received().length).toBeLessThan(BIG_TEXT.length);
    const [line] = app.logs.filter((entry) => entry.reason === 'write_timeout');
    expect(line?.msg).toMatch(/^Cut a connection whose client took no bytes for 1s \(--http-write-timeout\), with \d+ still waiting to be sent\.$/);
  });

  it('does not cut a reader that is slow but keeps reading', async () => {
    const app = await start(['--http-write-timeout', '1s']);
    await storeBig(app.smtpPort);
    const [head] = await app.store.list(INBOX);
    const request = `GET /api/inboxes/${INBOX}/messages/${head?.id}/raw HTTP/1.1\r\nHost: test\r\n\r\n`;
    // A neighbour that reads nothing shows when the write timeout has passed.
    const stalled = await client(app.httpPort, '127.0.0.3');
    stalled.socket.pause();
    const reader = await client(app.httpPort, '127.0.0.2');
    // One chunk (at most 64 KB) every 20 ms: the whole message takes seconds, yet no second passes without progress.
    reader.socket.on('data', () => reader.socket.pause());
    const pace = setInterval(() => reader.socket.resume(), 20);
    try {
      stalled.socket.write(request);
      reader.socket.write(request);
      await expect.poll(() => metric(app.httpPort, `${REFUSED}{reason="write_timeout"}`)).toBe(1);
      expect(reader.received().length).toBeLessThan(BIG_TEXT.length);
      await expect.poll(() => reader.received().length, { timeout: 30_000 }).toBeGreaterThan(BIG_TEXT.length);
    } finally {
      clearInterval(pace);
    }
    expect(await metric(app.httpPort, `${REFUSED}{reason="write_timeout"}`)).toBe(1);
  });

  it('does not cut a long poll that waits with nothing to send', async () => {
    const app = await start(['--http-write-timeout', '1s']);
    const response = await fetch(`http://127.0.0.1:${app.httpPort}/api/inboxes/${INBOX}/wait?timeout=3`);
    expect(response.status).toBe(408);
    expect(await metric(app.httpPort, `${REFUSED}{reason="write_timeout"}`)).toBe(0);
  });
});
