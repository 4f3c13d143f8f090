import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl, openEvents, type EventClient } from '../ws/ws-client.js';

const INBOX = 'sockets@ephemail.test';

interface Refused {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A handshake the server should turn away, with the status, headers and body it answered. */
function refusedHandshake(url: string): Promise<Refused> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        request.destroy();
      });
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error(`the server accepted ${url}`));
    });
    ws.on('error', (error) => reject(error));
  });
}

describe('WebSocket handshakes spend the API budget', () => {
  let server: TestServer;
  let clock: ManualClock;
  const open: EventClient[] = [];

  beforeEach(async () => {
    clock = createManualClock(Date.now());
    // A bucket of two, refilled every 10 s.
    server = await startTestServer(['--rate-limit', '6', '--rate-burst', '2'], { clock });
  });

  afterEach(async () => {
    for (const client of open.splice(0)) client.ws.terminate();
    await server.close();
  });

  async function connect(): Promise<EventClient> {
    const client = await openEvents(eventsUrl(server.httpPort, INBOX));
    open.push(client);
    expect((await client.next()).type).toBe('hello');
    return client;
  }

  it('accepts the burst, then answers 429 with Retry-After and a one-line reason before accepting', async () => {
    await connect();
    await connect();
    const refused = await refusedHandshake(eventsUrl(server.httpPort, INBOX));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toBe('Too many requests from your address; try again in 10 seconds.\n');
    // The sockets already open are not touched.
    for (const client of open) expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('admits again once the bucket has refilled', async () => {
    await connect();
    await connect();
    clock.advance(9_000);
    expect((await refusedHandshake(eventsUrl(server.httpPort, INBOX))).headers['retry-after']).toBe('1');
    clock.advance(1_000);
    await connect();
    expect((await refusedHandshake(eventsUrl(server.httpPort, INBOX))).status).toBe(429);
  });

  it('shares one budget with API requests, not with the page or /healthz', async () => {
    expect((await fetch(`${server.httpUrl}/api/domains`)).status).toBe(200);
    await connect();
    const api = await fetch(`${server.httpUrl}/api/domains`);
    expect(api.status).toBe(429);
    expect(api.headers.get('retry-after')).toBe('10');
    expect((await refusedHandshake(eventsUrl(server.httpPort, INBOX))).status).toBe(429);
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.httpUrl}/`)).status).toBe(200);
  });

  it('counts a handshake that is refused for another reason too', async () => {
    expect((await refusedHandshake(`ws://127.0.0.1:${server.httpPort}/api/nowhere`)).status).toBe(404);
    expect((await refusedHandshake(eventsUrl(server.httpPort, 'not-an-address'))).status).toBe(400);
    expect((await refusedHandshake(eventsUrl(server.httpPort, INBOX))).status).toBe(429);
  });
});

describe('WebSocket handshakes behind a trusted proxy', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer(['--rate-limit', '6', '--rate-burst', '1', '--trust-proxy', 'true'], { clock: createManualClock(Date.now()) });
  });

  afterEach(async () => { await server.close(); });

  it('counts the address the proxy appended, not the one the client claimed', async () => {
    const via = (header: string) => ({ headers: { 'x-forwarded-for': header } });
    const first = await openEvents(eventsUrl(server.httpPort, INBOX), via('198.51.100.1'));
    const other = await openEvents(eventsUrl(server.httpPort, INBOX), via('198.51.100.2'));
    first.ws.terminate();
    other.ws.terminate();
    const spoofing = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(eventsUrl(server.httpPort, INBOX), via('192.0.2.77, 198.51.100.1'));
      ws.on('unexpected-response', (request, response) => {
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      ws.on('open', () => reject(new Error('accepted')));
      ws.on('error', reject);
    });
    expect(spoofing).toBe(429);
  });
});
