import { describe, expect, it } from 'vitest';
import { buildTestApp, rawMessage, type TestAppOptions } from '../support/http-app.js';
import { flush, problemOf, requestFrom, securityHeaderProblems } from './hostile-client.js';

const A = '203.0.113.50';
const B = '203.0.113.51';
const C = '203.0.113.52';
const INBOX = 'waiting@ephemail.test';

function waitingApp(limits: TestAppOptions['limits'] = {}) {
  const test = buildTestApp({ limits });
  const waits: Array<Promise<Response>> = [];
  /** Starts a wait from `address`; returns once it holds its slot or has been answered, with its response to come. */
  async function startWait(address: string, init: RequestInit = {}, query = '?timeout=30') {
    const response = requestFrom(test.app, address, `/api/inboxes/${INBOX}/wait${query}`, init);
    waits.push(response);
    await flush();
    return { response };
  }
  /** A wait that is answered at once (refused, or a message is there). */
  async function answered(address: string, init: RequestInit = {}, query = '?timeout=30') {
    return (await startWait(address, init, query)).response;
  }
  return { ...test, startWait, answered, waits };
}

describe('long-poll caps', () => {
  it('lets one client hold 20 waits and answers the 21st 429 with Retry-After and a sentence', async () => {
    const test = waitingApp();
    for (let i = 0; i < 20; i++) await test.startWait(A);
    expect(test.limits.waiters.held()).toBe(20);
    const response = await test.answered(A);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(securityHeaderProblems('refused wait', response)).toEqual([]);
    expect((await problemOf(response)).detail).toBe(
      'Your address already has 20 waits for mail open, the most allowed; let one finish or cancel it, then try again in 5 seconds.',
    );
    // Another client is not affected.
    await test.startWait(B);
    expect(test.limits.waiters.held()).toBe(21);
    expect(test.hub.listenerCount(INBOX)).toBe(21);
  });

  it('frees the slots when the waits are answered, so the client can wait again', async () => {
    const test = waitingApp();
    for (let i = 0; i < 20; i++) await test.startWait(A);
    const [stored] = await test.deliver(rawMessage({ to: INBOX }), [INBOX]);
    const answered = await Promise.all(test.waits);
    expect(answered.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(stored).toBeDefined();
    expect(test.limits.waiters.held()).toBe(0);
    expect(test.limits.waiters.clients()).toBe(0);
    // A new wait, now answered at once by the message that is there.
    expect((await test.answered(A)).status).toBe(200);
  });

  it('frees a slot when a wait times out or its client hangs up', async () => {
    const test = waitingApp({ maxWaitersPerClient: 2 });
    const timingOut = await test.startWait(A, {}, '?timeout=1');
    const controller = new AbortController();
    const hangingUp = await test.startWait(A, { signal: controller.signal });
    expect((await test.answered(A)).status).toBe(429);
    test.clock.advance(1_000);
    expect((await timingOut.response).status).toBe(408);
    await test.startWait(A);
    expect(test.limits.waiters.held()).toBe(2);
    controller.abort();
    await hangingUp.response.catch(() => undefined);
    await expect.poll(() => test.limits.waiters.held()).toBe(1);
    await test.startWait(A);
    expect(test.limits.waiters.held()).toBe(2);
  });

  it('answers 503 with Retry-After once the server holds its total, and recovers when one ends', async () => {
    const test = waitingApp({ maxWaitersPerClient: 2, maxWaiters: 3 });
    await test.startWait(A);
    await test.startWait(A);
    const controller = new AbortController();
    await test.startWait(B, { signal: controller.signal });
    const refused = await test.answered(C);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await problemOf(refused)).toMatchObject({
      title: 'Service Unavailable',
      detail: 'The server is holding as many waits for mail as it can; try again in 10 seconds, or list the inbox instead.',
    });
    // The per-client cap is checked first: A hears about its own share.
    expect((await test.answered(A)).status).toBe(429);
    controller.abort();
    await expect.poll(() => test.limits.waiters.held()).toBe(2);
    await test.startWait(C);
    expect(test.limits.waiters.held()).toBe(3);
  });

  it('takes no slot for a request that fails validation', async () => {
    const test = waitingApp({ maxWaitersPerClient: 1 });
    for (const query of ['?timeout=soon', '?since=yesterday-ish']) {
      expect((await test.answered(A, {}, query)).status, query).toBe(400);
    }
    expect((await requestFrom(test.app, A, '/api/inboxes/not-an-address/wait')).status).toBe(400);
    expect(test.limits.waiters.held()).toBe(0);
  });
});
