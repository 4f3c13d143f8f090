import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/runtime/clock.js';
import type { RedisStore } from '../../src/store/redis/redis-store.js';
import { createManualClock } from '../support/manual-clock.js';
import { mailer } from '../support/mailer.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl, openEvents as openEventsAt } from '../ws/ws-client.js';

type Json = Record<string, any>;

/** A fresh address per test, so tests on the shared Redis never see each other's mail. */
const address = (name: string) => `${name}-${randomUUID().slice(0, 8)}@ephemail.test`;

function send(server: TestServer, to: string, subject: string) {
  return mailer(server.smtpPort).sendMail({ from: 'shop@example.com', to, subject, text: `Your code is 482913 (${subject})` });
}

async function getJson(server: TestServer, path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${server.httpUrl}${path}`);
  return { status: response.status, body: await response.json() as Json };
}

/** The shared events client on `server`, with frames as loose JSON for field access. */
async function openEvents(server: TestServer, inbox: string) {
  const client = await openEventsAt(eventsUrl(server.httpPort, inbox));
  return { ...client, next: async () => (await client.next()) as Json };
}

/**
 * A Redis and two Ephemail instances on it for one describe block, with the
 * sockets its tests open closed afterwards.
 */
function useTwoInstances(flags: string[], clock?: Clock) {
  const pair = { a: undefined as unknown as TestServer, b: undefined as unknown as TestServer, sockets: [] as WebSocket[] };
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    const all = ['--store', redis.url, ...flags, '--parse-workers', '1'];
    pair.a = await startTestServer(all, clock ? { clock } : {});
    pair.b = await startTestServer(all, clock ? { clock } : {});
  });
  afterAll(async () => {
    for (const ws of pair.sockets) ws.terminate();
    await pair.a?.close();
    await pair.b?.close();
    await redis?.stop();
  });
  return pair;
}

describe.skipIf(skipRedisTests())('two Ephemail instances on one Redis', () => {
  const pair = useTwoInstances([]);

  it('stores mail sent to A where the API of B reads it, in full', async () => {
    const inbox = address('api');
    await send(pair.a, inbox, 'across instances');
    const list = await getJson(pair.b, `/api/inboxes/${inbox}/messages`);
    expect(list.status).toBe(200);
    const messages = (Array.isArray(list.body) ? list.body : list.body.messages) as Json[];
    expect(messages.map((message) => message.subject)).toEqual(['across instances']);
    const full = await getJson(pair.b, `/api/inboxes/${inbox}/messages/${messages[0]!.id}`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ subject: 'across instances', text: expect.stringContaining('482913'), codes: ['482913'] });
  });

  it('pushes a message sent to A over the WebSocket of B', async () => {
    const inbox = address('ws');
    const events = await openEvents(pair.b, inbox);
    pair.sockets.push(events.ws);
    expect(await events.next()).toMatchObject({ type: 'hello', messages: [] });
    await send(pair.a, inbox, 'live across instances');
    const frame = await events.next();
    expect(frame).toMatchObject({ type: 'message', message: { inbox, subject: 'live across instances', codes: ['482913'] } });
  });

  it('answers a wait on B when the mail arrives at A', async () => {
    const inbox = address('wait');
    const waiting = fetch(`${pair.b.httpUrl}/api/inboxes/${inbox}/wait?timeout=10`);
    // Sent once B's waiter listens, so the mail reaches it as an event from A, not in B's first look at the inbox.
    await expect.poll(() => pair.b.hub.listenerCount(inbox)).toBe(1);
    await send(pair.a, inbox, 'waited for');
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subject: 'waited for', codes: ['482913'] });
  });

  it('tells B when a message is deleted through A', async () => {
    const inbox = address('delete');
    await send(pair.a, inbox, 'to delete');
    const events = await openEvents(pair.b, inbox);
    pair.sockets.push(events.ws);
    const hello = await events.next();
    const id = hello.messages[0].id as string;
    const deleted = await fetch(`${pair.a.httpUrl}/api/inboxes/${inbox}/messages/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBeLessThan(300);
    expect(await events.next()).toEqual({ type: 'deleted', id });
    expect((await getJson(pair.b, `/api/inboxes/${inbox}/messages/${id}`)).status).toBe(404);
  });
});

// One manual clock for both, moved by a few seconds: far short of the sockets' 30 s heartbeat,
// which a jump of minutes would fire with no time to answer it.
describe.skipIf(skipRedisTests())('expiry across two instances on one Redis', () => {
  const TTL_MS = 2_000;
  const clock = createManualClock();
  const pair = useTwoInstances(['--ttl', `${TTL_MS}ms`], clock);
  const settle = async () => {
    await (pair.a.store as RedisStore).flush();
    await (pair.b.store as RedisStore).flush();
  };

  it('expires a message on time for both, with one expired event each', async () => {
    const inbox = address('ttl');
    const onA = await openEvents(pair.a, inbox);
    const onB = await openEvents(pair.b, inbox);
    pair.sockets.push(onA.ws, onB.ws);
    await Promise.all([onA.next(), onB.next()]);
    await send(pair.a, inbox, 'short-lived');
    const arrived = await onB.next();
    expect(await onA.next()).toEqual(arrived);
    expect(Date.parse(arrived.message.expiresAt as string)).toBe(clock.now() + TTL_MS);
    // Not a moment early: kept until the last millisecond of its life.
    clock.advance(TTL_MS);
    await settle();
    expect(await pair.b.store.stats()).toMatchObject({ messages: 1 });
    clock.advance(1);
    // Both instances armed a sweeper for it; whichever runs first removes it and publishes the one event.
    expect(await onB.next()).toEqual({ type: 'expired', id: arrived.message.id });
    expect(await onA.next()).toEqual({ type: 'expired', id: arrived.message.id });
    await settle();
    expect(onA.unread() + onB.unread()).toBe(0);
    expect((await getJson(pair.b, `/api/inboxes/${inbox}/messages`)).body.messages).toEqual([]);
    expect(await pair.b.store.stats()).toMatchObject({ messages: 0 });
  });
});
