import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, rawMessage } from '../support/http-app.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Json = Record<string, unknown>;
type TestApp = ReturnType<typeof buildTestApp>;

const INBOX = 'waiter@ephemail.test';

/** Starts a wait and resolves once its listener is on the hub, so the test can deliver or move time. */
async function startWait(test: TestApp, query = '', init: RequestInit = {}, address = INBOX) {
  const before = test.hub.listenerCount();
  const response = Promise.resolve(test.app.request(`/api/inboxes/${encodeURIComponent(address)}/wait${query}`, init));
  let settled = false;
  void response.then(() => { settled = true; }, () => { settled = true; });
  await expect.poll(() => settled || test.hub.listenerCount() > before, { interval: 2 }).toBe(true);
  return { response, isSettled: () => settled };
}

/** Lets hub deliveries (setImmediate) and the route's awaits run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function messageOf(response: Promise<Response> | Response): Promise<Json> {
  const settled = await response;
  expect(settled.status).toBe(200);
  return (await settled.json()) as Json;
}

describe('GET /api/inboxes/{address}/wait (in process, manual clock)', () => {
  it('returns the newest matching message already there at once, in full', async () => {
    const test = buildTestApp();
    await test.deliver(rawMessage({ subject: 'older' }), [INBOX]);
    test.clock.advance(10);
    await test.deliver(rawMessage({ subject: 'newer', text: 'code 552910' }), [INBOX]);
    const message = await messageOf(test.app.request(`/api/inboxes/${INBOX}/wait`));
    expect(message).toMatchObject({ subject: 'newer', text: expect.stringContaining('552910'), codes: ['552910'], envelope: expect.any(Object) });
    expect(await messageOf(test.app.request(`/api/inboxes/${INBOX}/wait?subject=OLD`))).toMatchObject({ subject: 'older' });
    expect(test.hub.listenerCount()).toBe(0);
    expect(test.clock.pending()).toBe(1); // only the store's expiry timer
  });

  it('waits for the next message when none is there, through any spelling of the address', async () => {
    const test = buildTestApp();
    const wait = await startWait(test, '', {}, 'Waiter+Signup@EPHEMAIL.test');
    await flush();
    expect(wait.isSettled()).toBe(false);
    await test.deliver(rawMessage({ subject: 'Welcome aboard' }), ['waiter+other@ephemail.test']);
    expect(await messageOf(wait.response)).toMatchObject({ subject: 'Welcome aboard', tag: 'other', inbox: INBOX });
    expect(test.hub.listenerCount()).toBe(0);
  });

  it('answers with one parse, its digest taken from it, and reads nothing of mail nobody waits for', async () => {
    const test = buildTestApp();
    const wait = await startWait(test);
    const [head] = await test.deliver(rawMessage({ subject: 'Read ahead', text: 'code 731905' }), [INBOX]);
    expect(await messageOf(wait.response)).toMatchObject({ subject: 'Read ahead', codes: ['731905'] });
    expect(test.parses.count).toBe(1);
    expect(await messageOf(test.app.request(`/api/inboxes/${INBOX}/messages/${String(head?.id)}`))).toMatchObject({ subject: 'Read ahead' });
    expect(test.parses.count).toBe(1);
    await test.deliver(rawMessage({ subject: 'Nobody waits' }), [INBOX]);
    expect(test.parses.count).toBe(1);
  });

  it('with since=<id> returns only later messages, even within the same millisecond', async () => {
    const test = buildTestApp();
    const [first] = await test.deliver(rawMessage({ subject: 'first' }), [INBOX]);
    const wait = await startWait(test, `?since=${String(first?.id)}`);
    await flush();
    expect(wait.isSettled()).toBe(false);
    await test.deliver(rawMessage({ subject: 'second' }), [INBOX]);
    // Had the waiter missed it, it would never settle before the clock moves.
    await expect.poll(() => wait.isSettled()).toBe(true);
    expect(await messageOf(wait.response)).toMatchObject({ subject: 'second' });
  });

  it('with since=<id> returns a later message that is already there', async () => {
    const test = buildTestApp();
    const [first] = await test.deliver(rawMessage({ subject: 'first' }), [INBOX]);
    await test.deliver(rawMessage({ subject: 'second' }), [INBOX]);
    await test.deliver(rawMessage({ subject: 'third' }), [INBOX]);
    expect(await messageOf(test.app.request(`/api/inboxes/${INBOX}/wait?since=${String(first?.id)}`))).toMatchObject({ subject: 'third' });
  });

  it('with since=<time> ignores older messages', async () => {
    const test = buildTestApp();
    await test.deliver(rawMessage({ subject: 'before' }), [INBOX]);
    const since = new Date(test.clock.now()).toISOString();
    test.clock.advance(5);
    const wait = await startWait(test, `?since=${encodeURIComponent(since)}`);
    await flush();
    expect(wait.isSettled()).toBe(false);
    await test.deliver(rawMessage({ subject: 'after' }), [INBOX]);
    expect(await messageOf(wait.response)).toMatchObject({ subject: 'after' });
  });

  it('ignores messages that do not match the filters', async () => {
    const test = buildTestApp();
    const wait = await startWait(test, '?subject=reset&from=bank.example');
    await test.deliver(rawMessage({ subject: 'Newsletter', from: 'news@bank.example' }), [INBOX]);
    await test.deliver(rawMessage({ subject: 'Reset password', from: 'phish@evil.example' }), [INBOX]);
    await flush();
    expect(wait.isSettled()).toBe(false);
    await test.deliver(rawMessage({ subject: 'Password RESET', from: 'Bank <no-reply@bank.example>' }), [INBOX]);
    expect(await messageOf(wait.response)).toMatchObject({ subject: 'Password RESET' });
  });

  it('times out with 408 after 30 s by default', async () => {
    const test = buildTestApp();
    const wait = await startWait(test, '?subject=never');
    test.clock.advance(29_999);
    await flush();
    expect(wait.isSettled()).toBe(false);
    test.clock.advance(1);
    const response = await wait.response;
    expect(response.status).toBe(408);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 408, detail: `No matching message reached ${INBOX} within 30 s; call again to keep waiting.` });
    expect(test.hub.listenerCount()).toBe(0);
    expect(test.clock.pending()).toBe(0);
  });

  it('takes timeout in seconds or as a duration, capped by waitMaxMs', async () => {
    const test = buildTestApp({ waitMaxMs: 5_000 });
    for (const [query, ms] of [['?timeout=2', 2_000], ['?timeout=1500ms', 1_500], ['?timeout=3600', 5_000], ['', 5_000]] as const) {
      const wait = await startWait(test, query);
      test.clock.advance(ms - 1);
      await flush();
      expect(wait.isSettled(), query).toBe(false);
      test.clock.advance(1);
      expect((await wait.response).status, query).toBe(408);
    }
    for (const timeout of ['soon', '-1', '10x']) {
      const response = await test.app.request(`/api/inboxes/${INBOX}/wait?timeout=${timeout}`);
      expect(response.status, timeout).toBe(400);
      expect(((await response.json()) as Json).detail).toMatch(/^timeout must be seconds/);
    }
    expect(test.hub.listenerCount()).toBe(0);
  });

  it('hands one message to twenty concurrent waiters', async () => {
    const test = buildTestApp();
    const waits = [];
    for (let i = 0; i < 20; i++) waits.push(await startWait(test));
    expect(test.hub.listenerCount(INBOX)).toBe(20);
    const [stored] = await test.deliver(rawMessage({ subject: 'for everyone' }), [INBOX]);
    const messages = await Promise.all(waits.map((wait) => messageOf(wait.response)));
    expect(new Set(messages.map((message) => message.id))).toEqual(new Set([stored?.id]));
    expect(test.hub.listenerCount()).toBe(0);
  });

  it('frees the waiter of a client that hangs up', async () => {
    const test = buildTestApp();
    const controller = new AbortController();
    const wait = await startWait(test, '', { signal: controller.signal });
    expect(test.hub.listenerCount(INBOX)).toBe(1);
    expect(test.clock.pending()).toBe(1);
    controller.abort();
    await expect.poll(() => test.hub.listenerCount(INBOX)).toBe(0);
    expect(test.clock.pending()).toBe(0);
    await wait.response.catch(() => undefined);
  });

  it('does not hold a waiter for a request that was already aborted', async () => {
    const test = buildTestApp();
    const response = Promise.resolve(test.app.request(`/api/inboxes/${INBOX}/wait`, { signal: AbortSignal.abort() })).catch(() => null);
    await flush();
    const held = { listeners: test.hub.listenerCount(), timers: test.clock.pending() };
    test.clock.advance(30_000); // releases a held waiter so the test ends either way
    await response;
    expect(held).toEqual({ listeners: 0, timers: 0 });
  });

  it('refuses an invalid address before waiting', async () => {
    const test = buildTestApp();
    const response = await test.app.request('/api/inboxes/not-an-address/wait');
    expect(response.status).toBe(400);
    expect(test.hub.listenerCount()).toBe(0);
  });
});

describe('GET /api/inboxes/{address}/wait (real server, real SMTP)', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  const waitUrl = (inbox: string, query = '') => `${server.httpUrl}/api/inboxes/${encodeURIComponent(inbox)}/wait${query}`;
  const send = (to: string, subject: string) => mailer(server.smtpPort).sendMail({
    from: 'Service <service@example.com>', to, subject, text: `Your code is 771204 (${subject})`,
  });

  it('answers a wait started before the mail was sent', async () => {
    const inbox = 'before@ephemail.test';
    const pending = fetch(waitUrl(inbox, '?timeout=20'));
    await expect.poll(() => server.hub.listenerCount(inbox)).toBe(1);
    await send('Before+Tag@ephemail.test', 'sent after the wait');
    const message = await messageOf(pending);
    expect(message).toMatchObject({ subject: 'sent after the wait', tag: 'tag', codes: ['771204'] });
    expect(server.hub.listenerCount(inbox)).toBe(0);
  });

  it('answers a wait started after the mail arrived at once', async () => {
    const inbox = 'after@ephemail.test';
    await send(inbox, 'already here');
    expect(await messageOf(fetch(waitUrl(inbox, '?timeout=20')))).toMatchObject({ subject: 'already here' });
  });

  it('times out with 408 when the filter matches nothing', async () => {
    const inbox = 'filtered@ephemail.test';
    await send(inbox, 'not what you want');
    const response = await fetch(waitUrl(inbox, '?subject=something-else&timeout=1'));
    expect(response.status).toBe(408);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(server.hub.listenerCount(inbox)).toBe(0);
  });

  it('gives one message to twenty concurrent waiters', async () => {
    const inbox = 'crowd@ephemail.test';
    const pending = Array.from({ length: 20 }, () => fetch(waitUrl(inbox, '?timeout=20')));
    await expect.poll(() => server.hub.listenerCount(inbox)).toBe(20);
    await send(inbox, 'for the crowd');
    const messages = await Promise.all(pending.map((response) => messageOf(response)));
    expect(new Set(messages.map((message) => message.subject))).toEqual(new Set(['for the crowd']));
    expect(new Set(messages.map((message) => message.id)).size).toBe(1);
  });

  it('frees the waiter when the client disconnects', async () => {
    const inbox = 'hangup@ephemail.test';
    const controller = new AbortController();
    const pending = fetch(waitUrl(inbox, '?timeout=60'), { signal: controller.signal }).catch((error: unknown) => error);
    await expect.poll(() => server.hub.listenerCount(inbox)).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await expect.poll(() => server.hub.listenerCount(inbox)).toBe(0);
  });
});
