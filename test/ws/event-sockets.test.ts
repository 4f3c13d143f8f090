import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiMessageList } from '../../src/http/api/types.js';
import { mailer } from '../support/mailer.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl, openEvents, refusal, roundTrip, type EventClient } from './ws-client.js';

const PING_INTERVAL_MS = 30_000;

function send(server: TestServer, to: string, subject: string) {
  return mailer(server.smtpPort).sendMail({ from: 'app@example.com', to, subject, text: `Your code is 482913 (${subject})` });
}

describe('GET /api/inboxes/{address}/events', () => {
  let server: TestServer;
  let clock: ManualClock;
  const clients: EventClient[] = [];

  async function connect(address: string, options: Parameters<typeof openEvents>[1] = {}) {
    const client = await openEvents(eventsUrl(server.httpPort, address), options);
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    clock = createManualClock(Date.now());
    server = await startTestServer(['--ttl', '10s'], { clock });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await server.close();
  });

  it('replays mail that arrived before the socket opened in the hello frame, newest first', async () => {
    await send(server, 'replay@ephemail.test', 'first');
    await send(server, 'replay@ephemail.test', 'second');
    const client = await connect('replay@ephemail.test');
    const hello = await client.next();
    expect(hello).toMatchObject({ type: 'hello', address: 'replay@ephemail.test' });
    if (hello.type !== 'hello') throw new Error('not a hello');
    expect(hello.messages.map((message) => message.subject)).toEqual(['second', 'first']);
    expect(hello.messages[0]).toMatchObject({ inbox: 'replay@ephemail.test', codes: ['482913'], from: { address: 'app@example.com' } });
  });

  it('pushes a message as it arrives, once, after an empty hello', async () => {
    const client = await connect('live@ephemail.test');
    expect(await client.next()).toEqual({ type: 'hello', address: 'live@ephemail.test', messages: [], more: false });
    await send(server, 'live@ephemail.test', 'fresh');
    const frame = await client.next();
    expect(frame).toMatchObject({ type: 'message', message: { subject: 'fresh', inbox: 'live@ephemail.test' } });
    await roundTrip(client.ws);
    expect(client.unread()).toBe(0);
  });

  it('folds case and +tag in the address, and takes it URL-encoded', async () => {
    const client = await connect('Folded+Signup@EPHEMAIL.test');
    expect(await client.next()).toMatchObject({ type: 'hello', address: 'folded@ephemail.test' });
    await send(server, 'folded+other@ephemail.test', 'tagged');
    expect(await client.next()).toMatchObject({ type: 'message', message: { subject: 'tagged', tag: 'other' } });
  });

  it('tells when a message is deleted through the API', async () => {
    await send(server, 'deleting@ephemail.test', 'doomed');
    const client = await connect('deleting@ephemail.test');
    const hello = await client.next();
    if (hello.type !== 'hello' || hello.messages[0] === undefined) throw new Error('expected the message in hello');
    const { id } = hello.messages[0];
    const response = await fetch(`${server.httpUrl}/api/inboxes/deleting@ephemail.test/messages/${id}`, { method: 'DELETE' });
    expect(response.ok).toBe(true);
    expect(await client.next()).toEqual({ type: 'deleted', id });
  });

  it('tells when a message expires', async () => {
    const client = await connect('expiring@ephemail.test');
    await client.next();
    await send(server, 'expiring@ephemail.test', 'short-lived');
    const frame = await client.next();
    if (frame.type !== 'message') throw new Error('expected a message');
    clock.advance(10_001);
    expect(await client.next()).toEqual({ type: 'expired', id: frame.message.id });
  });

  it('drops a client that does not answer pings', async () => {
    const client = await connect('silent@ephemail.test', { autoPong: false });
    await client.next();
    clock.advance(PING_INTERVAL_MS);
    clock.advance(PING_INTERVAL_MS);
    expect(await client.closed).toBe(1006);
    expect(server.hub.listenerCount('silent@ephemail.test')).toBe(0);
  });

  it('keeps a client that answers pings', async () => {
    const client = await connect('chatty@ephemail.test');
    await client.next();
    for (let round = 0; round < 3; round++) {
      const pinged = new Promise((resolve) => client.ws.once('ping', resolve));
      clock.advance(PING_INTERVAL_MS);
      await pinged;
      await roundTrip(client.ws);
    }
    await send(server, 'chatty@ephemail.test', 'still here');
    expect(await client.next()).toMatchObject({ type: 'message', message: { subject: 'still here' } });
  });

  it('accepts pages from its own origin and clients without an Origin header', async () => {
    const fromPage = await connect('origin@ephemail.test', { origin: `http://localhost:${server.httpPort}` });
    const fromIp = await connect('origin@ephemail.test', { origin: `http://127.0.0.1:${server.httpPort}` });
    const fromScript = await connect('origin@ephemail.test');
    for (const client of [fromPage, fromIp, fromScript]) expect((await client.next()).type).toBe('hello');
  });

  it('refuses pages from other origins with 403 and a reason', async () => {
    for (const origin of ['https://evil.example', `http://localhost:${server.httpPort + 1}`, 'null']) {
      const refused = await refusal(eventsUrl(server.httpPort, 'origin@ephemail.test'), { origin });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toBe('text/plain; charset=utf-8');
      expect(refused.body).toMatch(/may not follow inboxes here.*--public-url/);
    }
    expect(server.hub.listenerCount()).toBe(0);
  });

  it('refuses a bad address with 400 and an unknown path with 404, one line each', async () => {
    const base = `ws://127.0.0.1:${server.httpPort}`;
    const badAddress = await refusal(`${base}/api/inboxes/not-an-address/events`);
    expect(badAddress.status).toBe(400);
    expect(badAddress.body).toMatch(/^Invalid address: .+\n$/);
    const badEncoding = await refusal(`${base}/api/inboxes/a%E0%A4%A@ephemail.test/events`);
    expect(badEncoding).toMatchObject({ status: 400, body: 'The address in the path is not valid percent-encoding.\n' });
    const unknown = await refusal(`${base}/api/inboxes/someone@ephemail.test/stream`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(/^There is no WebSocket endpoint at \/api\/inboxes\/someone@ephemail.test\/stream; .+\n$/);
  });

  it('closes every socket with 1001 on shutdown', async () => {
    const first = await connect('shutdown@ephemail.test');
    const second = await connect('other@ephemail.test');
    await Promise.all([first.next(), second.next()]);
    await server.close();
    expect(await first.closed).toBe(1001);
    expect(await second.closed).toBe(1001);
  });
});

describe('the hello frame of an inbox of more than 200 messages (--inbox-limit 300)', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('carries the newest 200, says there are more, and the rest is one listing away', async () => {
    server = await startTestServer(['--inbox-limit', '300']);
    const inbox = 'many@ephemail.test';
    for (let i = 0; i < 201; i++) {
      const raw = Buffer.from(`Subject: mail ${i}\r\n\r\nbody\r\n`);
      await server.store.add({ envelope: { mailFrom: 'app@example.com', rcptTo: [inbox] }, sender: '127.0.0.1', raw, recipients: [{ inbox, tag: null }] });
    }
    const client = await openEvents(eventsUrl(server.httpPort, inbox));
    const hello = await client.next();
    client.ws.close();
    if (hello.type !== 'hello') throw new Error('not a hello');
    expect(hello.more).toBe(true);
    expect(hello.messages).toHaveLength(200);
    expect([hello.messages[0]?.subject, hello.messages[199]?.subject]).toEqual(['mail 200', 'mail 1']);
    const older = await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages?before=${hello.messages[199]?.id}`);
    expect(((await older.json()) as ApiMessageList).messages.map((message) => message.subject)).toEqual(['mail 0']);
    await client.closed;
  });
});

describe('--public-url', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('allows the listed origins and its own pages, and no other', async () => {
    server = await startTestServer(['--public-url', 'https://mail.example.com, http://Inbox.Example.com:8080/']);
    const url = eventsUrl(server.httpPort, 'public@ephemail.test');
    for (const origin of ['https://mail.example.com', 'http://inbox.example.com:8080']) {
      const client = await openEvents(url, { origin });
      expect((await client.next()).type).toBe('hello');
      client.ws.close();
      await client.closed;
    }
    // Opened by its address rather than its public URL, the page is still this server's own.
    const direct = await openEvents(url, { origin: `http://127.0.0.1:${server.httpPort}` });
    expect((await direct.next()).type).toBe('hello');
    direct.ws.close();
    for (const origin of ['https://other.example', `http://127.0.0.1:${server.httpPort + 1}`]) expect((await refusal(url, { origin })).status).toBe(403);
  });
});
