import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/runtime/cancellation.js';
import { createWorkCache } from '../../src/runtime/work-cache.js';

interface Made {
  key: string;
  bytes: number;
}

/** A cache whose work ends when the test says; every start is recorded with its signal. */
function heldCache(maxBytes = 1_000) {
  const cache = createWorkCache<Made>({ maxBytes, sizeOf: (made) => made.bytes });
  const started: Array<{ key: string; signal: AbortSignal; finish: (bytes: number) => void; fail: (error: Error) => void }> = [];
  const make = (key: string) => (signal: AbortSignal) => new Promise<Made>((resolve, reject) => {
    started.push({ key, signal, finish: (bytes) => resolve({ key, bytes }), fail: reject });
  });
  return { cache, started, make };
}

describe('createWorkCache', () => {
  it('makes a result once for requests at the same moment and in a row', async () => {
    const { cache, started, make } = heldCache();
    const first = cache.get('a', make('a'));
    const second = cache.get('a', make('a'), new AbortController().signal);
    started[0]?.finish(10);
    const made = await first;
    expect(await second).toBe(made);
    expect(await cache.get('a', make('a'))).toBe(made);
    expect(started).toHaveLength(1);
  });

  it('cancels work only when every requester has gone, and keeps what a running job still makes', async () => {
    const { cache, started, make } = heldCache();
    const [one, two] = [new AbortController(), new AbortController()];
    const answers = [cache.get('a', make('a'), one.signal), cache.get('a', make('a'), two.signal)];
    one.abort();
    expect(started[0]?.signal.aborted).toBe(false);
    two.abort();
    expect(started[0]?.signal.aborted).toBe(true);
    for (const answer of answers) await expect(answer).rejects.toBeInstanceOf(CancelledError);
    // The work ran to its end anyway (a job a worker had taken): the next request is free.
    started[0]?.finish(10);
    expect(await cache.get('a', make('a'))).toEqual({ key: 'a', bytes: 10 });
    expect(await cache.get('a', make('a'))).toEqual({ key: 'a', bytes: 10 });
    expect(started).toHaveLength(1);
  });

  it('forgets a failure, so the next request makes it again', async () => {
    const { cache, started, make } = heldCache();
    const failing = cache.get('a', make('a'));
    started[0]?.fail(new Error('the worker crashed'));
    await expect(failing).rejects.toThrow('the worker crashed');
    const again = cache.get('a', make('a'));
    started[1]?.finish(5);
    expect(await again).toEqual({ key: 'a', bytes: 5 });
  });

  it('lets others peek at a result under way or kept, and never starts one for them', async () => {
    const { cache, started, make } = heldCache();
    expect(cache.peek('a')).toBeUndefined();
    const reading = cache.get('a', make('a'));
    const peeked = cache.peek('a');
    started[0]?.finish(1);
    expect(await peeked).toBe(await reading);
    expect(await cache.peek('a')).toBe(await reading);
    expect(cache.peek('b')).toBeUndefined();
    expect(started).toHaveLength(1);
  });

  it('keeps out the result of work under way for a key it was told to forget', async () => {
    const { cache, started, make } = heldCache();
    const reading = cache.get('a', make('a'));
    cache.forget('a');
    started[0]?.finish(1);
    await reading;
    expect(cache.peek('a')).toBeUndefined();
    const kept = cache.get('a', make('a'));
    started[1]?.finish(2);
    await kept;
    cache.forget('a');
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps at most maxBytes of results, least recently used out first', async () => {
    const { cache, started, make } = heldCache(100);
    for (const key of ['a', 'b', 'c']) {
      const made = cache.get(key, make(key));
      started.at(-1)?.finish(40);
      await made;
    }
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBeDefined();
    expect(cache.peek('c')).toBeDefined();
  });

  it('keeps a result only as long as keepMs says, and for good when it says nothing', async () => {
    const made: string[] = [];
    const cache = createWorkCache<{ key: string }>({ maxBytes: 1_000, sizeOf: () => 1, keepMs: ({ key }) => (key === 'brief' ? 1 : undefined) });
    const make = (key: string) => async () => {
      made.push(key);
      return { key };
    };
    await cache.get('brief', make('brief'));
    await cache.get('lasting', make('lasting'));
    await expect.poll(() => cache.peek('brief')).toBeUndefined();
    await cache.get('brief', make('brief'));
    await cache.get('lasting', make('lasting'));
    expect(made).toEqual(['brief', 'lasting', 'brief']);
  });
});
