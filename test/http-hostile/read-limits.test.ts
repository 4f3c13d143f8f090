import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../../src/worker/pool.js';
import { buildTestApp, rawMessage } from '../support/http-app.js';
import { problemOf, requestFrom } from './hostile-client.js';

const A = '203.0.113.60';
const B = '203.0.113.61';
const C = '203.0.113.62';
const INBOX = 'reader@ephemail.test';

describe('reads in flight, per client and in the parse workers\' queue', () => {
  let workers: WorkerPool | undefined;
  afterEach(async () => workers?.close());

  /** The app over one real parse thread: a read waits for it to start, so reads stay in flight meanwhile. */
  async function appWithOneThread(maxQueuedPerLane = 64) {
    const jobs: string[] = [];
    workers = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 128, maxQueuedPerLane, onJob: (kind, outcome) => jobs.push(`${outcome} ${kind}`) });
    const test = buildTestApp({ workers });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [head] = await test.deliver(rawMessage({ to: INBOX, subject: `Message ${i}`, html: `<p>Message ${i}</p>` }), [INBOX]);
      if (head === undefined) throw new Error('nothing stored');
      ids.push(head.id);
    }
    const read = (address: string, id: string, route = '', init: RequestInit = {}) =>
      requestFrom(test.app, address, `/api/inboxes/${INBOX}/messages/${id}${route}`, init);
    return { ...test, ids, read, jobs };
  }

  it('lets one client have 8 reads in flight on any read route, and answers the 9th 429 with Retry-After and a sentence', async () => {
    const { ids, read, limits } = await appWithOneThread();
    const id = ids[0] ?? '';
    const admitted = ['', '', '/html', '/html', '/text', '/text', '/attachments/0', '/attachments/0'].map((route) => read(A, id, route));
    await expect.poll(() => limits.reads.held()).toBe(8);
    const refused = await read(A, id, '/html');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await problemOf(refused)).toMatchObject({
      code: 'too_many_reads',
      detail: 'Your address already has 8 reads of messages or listings in flight at once, the most allowed; wait for one to finish, then try again in 2 seconds.',
    });
    // Another client is not affected.
    const other = read(B, id, '/text');
    expect((await Promise.all(admitted)).map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200, 404, 404]);
    expect((await other).status).toBe(200);
    expect(limits.reads.held()).toBe(0);
  });

  it('counts a listing among a client\'s reads in flight, since it may wait for digests', async () => {
    const { ids, read, limits, app } = await appWithOneThread();
    // Another client's parse holds the thread, so the listings' digests wait behind it.
    const parsing = read(B, ids[0] ?? '');
    const list = () => requestFrom(app, A, `/api/inboxes/${INBOX}/messages`);
    const admitted = Array.from({ length: 8 }, list);
    await expect.poll(() => limits.reads.held()).toBe(9);
    const refused = await list();
    expect(refused.status).toBe(429);
    expect((await problemOf(refused)).code).toBe('too_many_reads');
    expect((await Promise.all(admitted)).map((response) => response.status)).toEqual(Array(8).fill(200));
    expect((await parsing).status).toBe(200);
    expect(limits.reads.held()).toBe(0);
  });

  it('frees the slot of a client that hangs up, and drops its parse from the queue without running it', async () => {
    const { ids, read, limits, jobs, parses } = await appWithOneThread();
    const [first = '', second = ''] = ids;
    const running = read(A, first);
    const hangingUp = new AbortController();
    const waiting = read(B, second, '/text', { signal: hangingUp.signal });
    // Both parses handed to the pool: the first on its thread, the second queued behind it.
    await expect.poll(() => parses.count).toBe(2);
    expect(limits.reads.held()).toBe(2);
    hangingUp.abort();
    await waiting;
    expect(limits.reads.held()).toBe(1);
    expect((await running).status).toBe(200);
    expect(jobs).toEqual(['run parse', 'cancelled parse']);
    expect(limits.reads.held()).toBe(0);
  });

  it('answers 503 with Retry-After and a sentence once the queue of reads is full, while listings still get digests first', async () => {
    const { ids, read, jobs, app, parses } = await appWithOneThread(1);
    const [first = '', second = '', third = ''] = ids;
    const admitted = [read(A, first), read(B, second, '/html')];
    // The first parse on the thread, the second filling the queue of one.
    await expect.poll(() => parses.count).toBe(2);
    const refused = await read(C, third, '/text');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await problemOf(refused)).toMatchObject({
      code: 'server_busy',
      detail: 'The server has as many messages waiting to be read as it will queue; try again in 5 seconds.',
    });
    // The third message's digest overtakes the waiting parse; the others come from the parses under way.
    const listing = await requestFrom(app, C, `/api/inboxes/${INBOX}/messages`);
    expect(listing.status).toBe(200);
    expect((await Promise.all(admitted)).map((response) => response.status)).toEqual([200, 200]);
    expect(jobs).toEqual(['run parse', 'refused parse', 'run digest', 'run parse', 'run html']);
  });

  it('answers a listing 503 server_busy with Retry-After, not store_unavailable, when the queue of digests is full', async () => {
    const { ids, read, jobs, app, parses } = await appWithOneThread(1);
    const running = read(A, ids[0] ?? '');
    await expect.poll(() => parses.count).toBe(1);
    // The first message's digest comes from its parse under way; of the other two, one waits and one is refused.
    const refused = await requestFrom(app, B, `/api/inboxes/${INBOX}/messages`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await problemOf(refused)).toMatchObject({
      code: 'server_busy',
      detail: 'The server has as many messages waiting to be read as it will queue; try again in 5 seconds.',
    });
    expect((await running).status).toBe(200);
    const listing = await requestFrom(app, B, `/api/inboxes/${INBOX}/messages`);
    expect(listing.status).toBe(200);
    expect(jobs).toEqual(['run parse', 'refused digest', 'run digest', 'run digest']);
  });

  it('drops the waiting digests of a listing whose client hung up, without running them', async () => {
    const { ids, read, jobs, app, parses } = await appWithOneThread();
    const running = read(A, ids[0] ?? '');
    await expect.poll(() => parses.count).toBe(1);
    const hangingUp = new AbortController();
    const listing = requestFrom(app, B, `/api/inboxes/${INBOX}/messages`, { signal: hangingUp.signal });
    // The other two messages' digests handed to the pool, queued behind the parse.
    await expect.poll(() => parses.count).toBe(3);
    hangingUp.abort();
    await listing.catch(() => {});
    expect((await running).status).toBe(200);
    expect(jobs).toEqual(['run parse', 'cancelled digest', 'cancelled digest']);
  });
});

describe('rendered HTML, kept per message', () => {
  it('serves the same document again without rendering it again, and keeps the remote version apart', async () => {
    const test = buildTestApp();
    const [head] = await test.deliver(rawMessage({ to: INBOX, html: '<p>Hello <img src="https://images.example/a.png"></p>' }), [INBOX]);
    const path = `/api/inboxes/${INBOX}/messages/${head?.id}/html`;
    const first = await requestFrom(test.app, A, path);
    const again = await requestFrom(test.app, B, path);
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get('x-blocked-remote-content')).toBe('1');
    expect(test.renders.count).toBe(1);
    const remote = await requestFrom(test.app, A, `${path}?remote=1`);
    expect(await remote.text()).toContain('https://images.example/a.png');
    expect(test.renders.count).toBe(2);
  });
});
