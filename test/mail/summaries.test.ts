import { describe, expect, it } from 'vitest';
import { digestRaw, readMessage, type MessageDigest, type ReadMessage } from '../../src/mail/read/digest.js';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { createSummaries } from '../../src/mail/read/summaries.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

/** A memory store with the summary service over it; digest reads and parses are counted, and digest reads fail while `failing` is set. */
function openSummaries() {
  const counts = { digests: 0, parses: 0, failing: false };
  const store = createMemoryStore({ ttlMs: 60_000, memoryLimit: 1024 * 1024, inboxLimit: 50, clock: createManualClock() });
  const reader = createMessageReader({
    parse: (raw): Promise<ReadMessage> => {
      counts.parses++;
      return readMessage(raw);
    },
    cacheBytes: 1024 * 1024,
  });
  const readDigest = async (raw: Buffer): Promise<MessageDigest> => {
    counts.digests++;
    if (counts.failing) throw new Error('the parse pool is gone');
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
