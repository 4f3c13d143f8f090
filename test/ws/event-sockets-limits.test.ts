import type { Socket } from 'node:net';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createEventSockets, type EventSockets } from '../../src/http/events/sockets.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createHub, type Hub } from '../../src/hub/hub.js';
import type { MessageSummary } from '../../src/mail/read/digest.js';
import type { MessageHead, StoreEvent } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { quietRefusals } from '../support/refusals.js';
import { makeDigest } from '../support/messages.js';
import { eventsUrl, openEvents, refusal, type EventClient } from './ws-client.js';

const INBOX = 'limits@ephemail.test';
const MAX_BUFFERED_BYTES = 64 * 1024;

function head(id: string): MessageHead {
  return { id, inbox: INBOX, tag: null, receivedAt: 0, expiresAt: 60_000, size: 100 };
}

// The preview the summaries below carry; long ones make large frames.
let preview = 'Hello there';

function summary(id: string): MessageSummary {
  return { ...makeDigest({ preview }), ...head(id) };
}

function pauseReading(client: EventClient): Socket {
  const socket = (client.ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  return socket;
}

/**
 * The endpoint alone over a bare HTTP server, with a small buffer bound and
 * a hub the test publishes to directly.
 */
describe('event socket limits', () => {
  let http: HttpServer;
  let port: number;
  let hub: Hub;
  let clock: ManualClock;
  let sockets: EventSockets;
  const clients: EventClient[] = [];

  async function connect() {
    const client = await openEvents(eventsUrl(port, INBOX));
    clients.push(client);
    expect((await client.next()).type).toBe('hello');
    return client;
  }

  beforeEach(async () => {
    const config = parseConfig(['--http-port', '0'], {});
    http = createHttpServer({ app: new Hono(), config: config.http, ...quietRefusals() });
    port = await http.listen();
    hub = createHub();
    clock = createManualClock();
    preview = 'Hello there';
    sockets = createEventSockets({
      server: http.server, hub, clock,
      summaries: { newest: async () => ({ messages: [], more: false }), of: async ({ id }) => summary(id) },
      domains: config.domains,
      allowedOrigins: [],
      log: pino({ level: 'silent' }),
      maxBufferedBytes: MAX_BUFFERED_BYTES,
    });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await sockets.close();
    await http.close();
    vi.restoreAllMocks();
  });

  it('drops a client that stops reading, and only that one', async () => {
    const reader = await connect();
    const stalled = await connect();
    const stalledSocket = pauseReading(stalled);
    // Rounds well under the bound that the reader drains in between, until the stalled client's
    // kernel buffers are full and its backlog passes the bound.
    preview = 'x'.repeat(2_000);
    let sent = 0;
    while (sockets.openSockets() === 2) {
      if (sent >= 20_000) throw new Error('the stalled client was never dropped');
      for (let i = 0; i < 16; i++) hub.publish({ type: 'message', inbox: INBOX, message: head(`m${sent++}`) });
      for (let i = 0; i < 16; i++) await reader.next();
    }
    expect(hub.listenerCount(INBOX)).toBe(1);
    stalledSocket.resume();
    expect(await stalled.closed).toBe(1006);
    hub.publish({ type: 'deleted', inbox: INBOX, id: 'm0' });
    expect(await reader.next()).toEqual({ type: 'deleted', id: 'm0' });
  });

  it('turns each event into JSON once, however many sockets follow the inbox', async () => {
    const followers = await Promise.all([connect(), connect(), connect()]);
    const stringify = vi.spyOn(JSON, 'stringify');
    const event: StoreEvent = { type: 'message', inbox: INBOX, message: head('once') };
    hub.publish(event);
    const frames = await Promise.all(followers.map((client) => client.next()));
    expect(frames).toEqual(Array(3).fill({ type: 'message', message: expect.objectContaining({ id: 'once', receivedAt: '1970-01-01T00:00:00.000Z' }) }));
    expect(stringify).toHaveBeenCalledTimes(1);
  });

  it('closes a client that sends more than it may', async () => {
    const client = await connect();
    client.ws.send('x'.repeat(2_048));
    expect(await client.closed).toBe(1009);
    expect(sockets.openSockets()).toBe(0);
  });

  it('cuts off, after a grace period on the clock, a client that ignores the closing handshake', async () => {
    const polite = await connect();
    const stalled = await connect();
    const stalledSocket = pauseReading(stalled);
    let closed = false;
    const closing = sockets.close().then(() => { closed = true; });
    expect(await polite.closed).toBe(1001);
    expect(closed).toBe(false);
    clock.advance(2_000);
    await closing;
    expect(sockets.openSockets()).toBe(0);
    // The close frame reached its kernel buffer before it stopped reading, so it may still see 1001 once it reads again.
    stalledSocket.resume();
    expect([1001, 1006]).toContain(await stalled.closed);
  });

  it('refuses new sockets once closing', async () => {
    await sockets.close();
    const refused = await refusal(eventsUrl(port, INBOX));
    expect(refused).toMatchObject({ status: 503, body: 'The server is shutting down; reconnect in a moment.\n' });
  });
});
