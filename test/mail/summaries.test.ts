import { describe, expect, it } from 'vitest';
import { digestRaw, readMessage, type MessageDigest, type ReadMessage } from '../../src/mail/read/digest.js';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { createSummaries } from '../../src/mail/read/summaries.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { WorkersBusyError } from '../../src/worker/job-queue.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

/**
 * A memory store with the summary service over it; digest reads and parses
 * are counted, digest reads fail with `failure` while `failing` is set, and
 * `onDigest` runs as each starts, given the read's signal.
 */
function openSummaries() {
  const counts = {
    digests: 0, parses: 0, failing: false,
    failure: (): Error => new Error('the parse pool is gone'),
    onDigest: (_signal: AbortSignal) => {},
  };
  const store = createMemoryStore({ ttlMs: 60_000, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock: createManualClock() });
  const reader = createMessageReader({
    parse: (raw): Promise<ReadMessage> => {
      counts.parses++;
      return readMessage(raw);
    },
    cacheBytes: 1024 * 1024,
  });
  const readDigest = async (raw: Buffer, signal: AbortSignal): Promise<MessageDigest> => {
    counts.digests++;
    counts.onDigest(signal);
    if (counts.failing) throw counts.failure();
    return digestRaw(raw);
  };
  const summaries = createSummaries({ store, reader, readDigest, cacheBytes: 64 * 1024 });
  return { store, reader, summaries, counts };
}

describe('summaries: digests read when first needed', () => {
  it('reads nothing when a message is stored, and its digest once when first listed', async () => {
    const { store, summaries, counts } = openSummaries();
    const [head] = await store.add(makeNewMessage(['a@x.test'], { subject: 'Your code' }));
    expect(counts.digests).toBe(0);
    expect(await summaries.list('a@x.test')).toEqual([expect.objectContaining({ ...head, subject: 'Your code', parseFailed: false })]);
    await summaries.list('a@x.test');
    expect(counts.digests).toBe(1);
  });

  it('shares one read between readers that ask at the same time', async () => {
    const { store, summaries, counts } = openSummaries();
    const [head] = await store.add(makeNewMessage(['a@x.test']));
    const [listed, announced] = await Promise.all([summaries.list('a@x.test'), summaries.of(head!)]);
    expect(listed[0]).toEqual(announced);
    expect(counts.digests).toBe(1);
  });

  it('refuses to list for now when a digest cannot be read, and reads it again next time', async () => {
    const { store, summaries, counts } = openSummaries();
    await store.add(makeNewMessage(['a@x.test'], { subject: 'Later' }));
    counts.failing = true;
    await expect(summaries.list('a@x.test')).rejects.toBeInstanceOf(StoreUnavailableError);
    counts.failing = false;
    expect((await summaries.list('a@x.test')).map((summary) => summary.subject)).toEqual(['Later']);
    expect(counts.digests).toBe(2);
  });

  it('refuses every lister alike while a digest cannot be read', async () => {
    const { store, summaries, counts } = openSummaries();
    await store.add(makeNewMessage(['a@x.test']));
    counts.failing = true;
    const lists = await Promise.allSettled([summaries.list('a@x.test'), summaries.list('a@x.test')]);
    for (const list of lists) expect(list.status === 'rejected' && list.reason instanceof StoreUnavailableError).toBe(true);
  });

  it('lets a full queue of digests through as WorkersBusyError, so it is answered server_busy rather than store_unavailable', async () => {
    const { store, summaries, counts } = openSummaries();
    await store.add(makeNewMessage(['a@x.test']));
    counts.failing = true;
    counts.failure = () => new WorkersBusyError('digest');
    await expect(summaries.list('a@x.test')).rejects.toBeInstanceOf(WorkersBusyError);
  });

  it('lets a digest go on while one listing that asked for it stays, and cancels it once the last has gone', async () => {
    const { store, summaries, counts } = openSummaries();
    await store.add(makeNewMessage(['a@x.test']));
    const heads = await store.list('a@x.test');
    const [first, second] = [new AbortController(), new AbortController()];
    const cancelledAfter: boolean[] = [];
    counts.onDigest = (signal) => {
      first.abort();
      cancelledAfter.push(signal.aborted);
      second.abort();
      cancelledAfter.push(signal.aborted);
    };
    const listings = [summaries.select(heads, () => true, 1, first.signal), summaries.select(heads, () => true, 1, second.signal)];
    expect(await Promise.all(listings)).toEqual([[], []]);
    expect(cancelledAfter).toEqual([false, true]);
    expect(counts.digests).toBe(1);
  });

  it('keeps nothing of a message removed while its digest was being read', async () => {
    const { store, summaries, counts } = openSummaries();
    const [head] = await store.add(makeNewMessage(['a@x.test'], { subject: 'Short-lived' }));
    const reading = summaries.of(head!);
    await store.delete('a@x.test', head!.id);
    expect((await reading)?.subject).toBe('Short-lived');
    expect(await summaries.of(head!)).toBeUndefined();
    expect(counts.digests).toBe(1);
  });

  it('takes the digest from a full parse already under way instead of reading it apart', async () => {
    const { store, reader, summaries, counts } = openSummaries();
    const [head] = await store.add(makeNewMessage(['a@x.test'], { subject: 'Read in full' }));
    const stored = await store.get('a@x.test', head!.id);
    const parsing = reader.read(stored!);
    expect((await summaries.read(stored!))?.subject).toBe('Read in full');
    await parsing;
    expect(counts).toMatchObject({ parses: 1, digests: 0 });
  });

  it('reads no further once whoever asked has gone, and resolves with what it found', async () => {
    const { store, summaries, counts } = openSummaries();
    for (let i = 0; i < 40; i++) await store.add(makeNewMessage(['a@x.test'], { subject: `mail ${i}` }));
    const heads = await store.list('a@x.test');
    const gone = new AbortController();
    counts.onDigest = () => gone.abort();
    // A filter nothing passes would read all 40; the reads under way when the requester left are the last.
    expect(await summaries.select(heads, () => false, 1, gone.signal)).toEqual([]);
    expect(counts.digests).toBeGreaterThan(0);
    expect(counts.digests).toBeLessThanOrEqual(4);
    expect(await summaries.select(heads, () => true, 10, AbortSignal.abort())).toEqual([]);
    expect(counts.digests).toBeLessThanOrEqual(4);
  });

  it('lists the newest messages only as far as asked', async () => {
    const { store, summaries } = openSummaries();
    for (const subject of ['one', 'two', 'three']) await store.add(makeNewMessage(['a@x.test'], { subject }));
    expect((await summaries.list('a@x.test', 2)).map((summary) => summary.subject)).toEqual(['three', 'two']);
  });

  it('reads the digests of the newest messages only, and counts rather than reads whether older ones exist', async () => {
    const { store, summaries, counts } = openSummaries();
    for (const subject of ['one', 'two', 'three']) await store.add(makeNewMessage(['a@x.test'], { subject }));
    const newest = await summaries.newest('a@x.test', 2);
    expect({ subjects: newest.messages.map((summary) => summary.subject), more: newest.more }).toEqual({ subjects: ['three', 'two'], more: true });
    expect(counts.digests).toBe(2);
    expect((await summaries.newest('a@x.test', 3)).more).toBe(false);
  });

  it('says a message is gone once it has left, and forgets its digest', async () => {
    const { store, summaries, counts } = openSummaries();
    const [head] = await store.add(makeNewMessage(['a@x.test']));
    await summaries.list('a@x.test');
    await store.delete('a@x.test', head!.id);
    expect(await summaries.of(head!)).toBeUndefined();
    expect(await summaries.list('a@x.test')).toEqual([]);
    expect(counts.digests).toBe(1);
  });
});
