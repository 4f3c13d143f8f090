import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisStore } from '../../src/store/redis/redis-store.js';
import { mailer } from '../support/mailer.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

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

/** An events socket that queues frames; `next` takes them in order. */
async function openEvents(server: TestServer, inbox: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/api/inboxes/${encodeURIComponent(inbox)}/events`);
  const frames: Json[] = [];
  const waiters: Array<(frame: Json) => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Json;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  return {
    ws,
    next: (): Promise<Json> => {
      const frame = frames.shift();
      return frame ? Promise.resolve(frame) : new Promise((resolve) => waiters.push(resolve));
    },
    unread: () => frames.length,
  };
}

describe.skipIf(skipRedisTests())('two Ephemail instances on one Redis', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const flags = ['--store', redis.url, '--parse-workers', '1'];
    a = await startTestServer(flags);
    b = await startTestServer(flags);
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('stores mail sent to A where the API of B reads it, in full', async () => {
    const inbox = address('api');
    await send(a, inbox, 'across instances');
    const list = await getJson(b, `/api/inboxes/${inbox}/messages`);
    expect(list.status).toBe(200);
    const messages = (Array.isArray(list.body) ? list.body : list.body.messages) as Json[];
    expect(messages.map((message) => message.subject)).toEqual(['across instances']);
    const full = await getJson(b, `/api/inboxes/${inbox}/messages/${messages[0]!.id}`);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ subject: 'across instances', text: expect.stringContaining('482913'), codes: ['482913'] });
  });

  it('pushes a message sent to A over the WebSocket of B', async () => {
    const inbox = address('ws');
    const events = await openEvents(b, inbox);
    sockets.push(events.ws);
    expect(await events.next()).toMatchObject({ type: 'hello', messages: [] });
    await send(a, inbox, 'live across instances');
    const frame = await events.next();
    expect(frame).toMatchObject({ type: 'message', message: { inbox, subject: 'live across instances', codes: ['482913'] } });
  });

  it('answers a wait on B when the mail arrives at A', async () => {
    const inbox = address('wait');
    const waiting = fetch(`${b.httpUrl}/api/inboxes/${inbox}/wait?timeout=10`);
    // The waiter subscribes before it lists, so mail sent after the request started is never missed.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send(a, inbox, 'waited for');
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subject: 'waited for', codes: ['482913'] });
  });

  it('tells B when a message is deleted through A', async () => {
    const inbox = address('delete');
    await send(a, inbox, 'to delete');
    const events = await openEvents(b, inbox);
    sockets.push(events.ws);
    const hello = await events.next();
    const id = hello.messages[0].id as string;
    const deleted = await fetch(`${a.httpUrl}/api/inboxes/${inbox}/messages/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBeLessThan(300);
    expect(await events.next()).toEqual({ type: 'deleted', id });
    expect((await getJson(b, `/api/inboxes/${inbox}/messages/${id}`)).status).toBe(404);
  });
});

// The real clock here: a manual one jumping minutes would also fire the sockets' heartbeats with no time to answer them.
describe.skipIf(skipRedisTests())('expiry across two instances on one Redis', () => {
  const TTL_MS = 2_000;
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const flags = ['--store', redis.url, '--ttl', `${TTL_MS}ms`, '--parse-workers', '1'];
    a = await startTestServer(flags);
    b = await startTestServer(flags);
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('expires a message on time for both, with one expired event each', async () => {
    const inbox = address('ttl');
    const onA = await openEvents(a, inbox);
    const onB = await openEvents(b, inbox);
    sockets.push(onA.ws, onB.ws);
    await Promise.all([onA.next(), onB.next()]);
    await send(a, inbox, 'short-lived');
    const arrived = await onB.next();
    expect(await onA.next()).toEqual(arrived);
    const sentAt = Date.now();
    // Both instances armed a sweeper for it; whichever runs first removes it and publishes the one event.
    expect(await onB.next()).toEqual({ type: 'expired', id: arrived.message.id });
    expect(await onA.next()).toEqual({ type: 'expired', id: arrived.message.id });
    expect(Date.now() - sentAt).toBeLessThan(TTL_MS + 1_500);
    await (a.store as RedisStore).flush();
    await (b.store as RedisStore).flush();
    expect(onA.unread() + onB.unread()).toBe(0);
    expect((await getJson(b, `/api/inboxes/${inbox}/messages`)).body.messages).toEqual([]);
    expect(await b.store.stats()).toMatchObject({ messages: 0 });
  });
});
