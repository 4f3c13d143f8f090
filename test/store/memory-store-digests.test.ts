import { describe, expect, it } from 'vitest';
import type { MessageDigest, NewMessage } from '../../src/store/message.js';
import { createMemoryStore, type MemoryStoreOptions } from '../../src/store/memory/memory-store.js';
import { StoreUnavailableError, type StoreEvent } from '../../src/store/store.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeDigest, makeNewMessage } from '../support/messages.js';

/** A delivery whose digest reads are counted, and fail while `failing` is set. */
function countedDelivery(inboxes: string[], digest: MessageDigest = makeDigest()) {
  const reads = { count: 0, failing: false };
  const message: NewMessage = {
    ...makeNewMessage(inboxes),
    readDigest: async () => {
      reads.count++;
      if (reads.failing) throw new Error('the parse pool is gone');
      return digest;
    },
  };
  return { message, reads };
}

function openStore(options: Partial<MemoryStoreOptions> = {}) {
  const events: StoreEvent[] = [];
  const errors: unknown[] = [];
  const store = createMemoryStore({
    ttlMs: 60_000, memoryLimit: 1024 * 1024, inboxLimit: 50, clock: createManualClock(),
    isWatched: () => false, onError: (error) => errors.push(error),
    ...options,
  });
  store.subscribe((event) => events.push(event));
  return { store, events, errors };
}

describe('memory store: digests read when first needed', () => {
  it('reads no digest for an inbox nobody watches, and announces nothing', async () => {
    const { store, events } = openStore();
    const { message, reads } = countedDelivery(['a@x.test']);
    const [head] = await store.add(message);
    expect(reads.count).toBe(0);
    expect(events).toEqual([]);
    expect(head).not.toHaveProperty('subject');
  });

  it('reads it once, for all copies, when the message is first listed', async () => {
    const { store } = openStore();
    const { message, reads } = countedDelivery(['a@x.test', 'b@x.test'], makeDigest({ subject: 'Your code', codes: ['482913'] }));
    const heads = await store.add(message);
    const [listed] = await store.list('a@x.test');
    expect(listed).toEqual({ ...heads[0], ...makeDigest({ subject: 'Your code', codes: ['482913'] }) });
    expect((await store.get('b@x.test', heads[1]!.id))?.summary.codes).toEqual(['482913']);
    await store.list('a@x.test');
    expect(reads.count).toBe(1);
  });

  it('shares one read between readers that ask at the same time', async () => {
    const { store } = openStore();
    const { message, reads } = countedDelivery(['a@x.test']);
    const [head] = await store.add(message);
    const [listed, stored] = await Promise.all([store.list('a@x.test'), store.get('a@x.test', head!.id)]);
    expect(listed[0]?.subject).toBe('Hello');
    expect(stored?.summary.subject).toBe('Hello');
    expect(reads.count).toBe(1);
  });

  it('reads it before add resolves where someone watches, and announces the full summary', async () => {
    const { store, events } = openStore({ isWatched: (inbox) => inbox === 'a@x.test' });
    const { message, reads } = countedDelivery(['a@x.test', 'b@x.test']);
    const heads = await store.add(message);
    expect(reads.count).toBe(1);
    expect(events).toEqual([{ type: 'message', inbox: 'a@x.test', message: { ...heads[0], ...makeDigest() } }]);
    // The unwatched copy shares the read already made.
    expect((await store.list('b@x.test'))[0]?.subject).toBe('Hello');
    expect(reads.count).toBe(1);
  });

  it('keeps a message whose digest cannot be read, refuses to list it for now, and reads it later', async () => {
    const { store } = openStore();
    const { message, reads } = countedDelivery(['a@x.test']);
    await store.add(message);
    reads.failing = true;
    await expect(store.list('a@x.test')).rejects.toThrow(StoreUnavailableError);
    await expect(store.list('a@x.test')).rejects.toThrow(/could not be read just now/);
    reads.failing = false;
    expect(await store.list('a@x.test')).toHaveLength(1);
    expect(reads.count).toBe(3);
  });

  it('stores a watched message whose digest cannot be read, says so, and announces nothing', async () => {
    const { store, events, errors } = openStore({ isWatched: () => true });
    const { message, reads } = countedDelivery(['a@x.test']);
    reads.failing = true;
    await store.add(message);
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    reads.failing = false;
    expect(await store.list('a@x.test')).toHaveLength(1);
  });

  it('counts room for a typical digest at once, and a larger one once read, making room at the next delivery', async () => {
    const typical = makeDigest();
    const large = makeDigest({ subject: 's'.repeat(1_000), preview: 'p'.repeat(200) });
    const probe = openStore();
    await probe.store.add(countedDelivery(['a@x.test'], typical).message);
    const unread = (await probe.store.stats()).bytes;
    await probe.store.list('a@x.test');
    expect((await probe.store.stats()).bytes).toBe(unread);
    await probe.store.add(countedDelivery(['b@x.test'], large).message);
    await probe.store.list('b@x.test');
    const excess = (await probe.store.stats()).bytes - 2 * unread;
    expect(excess).toBeGreaterThan(2 * 1_200 - 1_024);

    // Three fit unread, and stay when read; the fourth delivery makes room.
    const { store, events } = openStore({ memoryLimit: 3 * unread + excess });
    for (let i = 0; i < 3; i++) await store.add(countedDelivery(['a@x.test'], large).message);
    expect(await store.list('a@x.test')).toHaveLength(3);
    expect((await store.stats()).bytes).toBe(3 * (unread + excess));
    expect(events).toEqual([]);
    await store.add(countedDelivery(['b@x.test'], large).message);
    expect(events.map((event) => event.type)).toEqual(['evicted', 'evicted']);
    expect(await store.list('a@x.test')).toHaveLength(1);
  });

  it('announces an inbox\'s messages in the order they were stored, whichever digest is read first', async () => {
    const { store, events } = openStore({ isWatched: () => true });
    let releaseFirst: (digest: MessageDigest) => void = () => {};
    const first: NewMessage = { ...makeNewMessage(['a@x.test']), readDigest: () => new Promise((resolve) => { releaseFirst = resolve; }) };
    const second = countedDelivery(['a@x.test'], makeDigest({ subject: 'second' }));
    const addingFirst = store.add(first);
    const addingSecond = store.add(second.message);
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.reads.count).toBe(1);
    expect(events).toEqual([]);
    releaseFirst(makeDigest({ subject: 'first' }));
    const [[firstHead], [secondHead]] = await Promise.all([addingFirst, addingSecond]);
    expect(events.map((event) => event.type === 'message' && event.message.id)).toEqual([firstHead!.id, secondHead!.id]);
  });

  it('leaves out a message removed while its digest was being read', async () => {
    let release: (digest: MessageDigest) => void = () => {};
    const slowDelivery = (): NewMessage => ({
      ...makeNewMessage(['a@x.test']),
      readDigest: () => new Promise((resolve) => { release = resolve; }),
    });

    const unwatched = openStore();
    await unwatched.store.add(slowDelivery());
    const listing = unwatched.store.list('a@x.test');
    expect(await unwatched.store.deleteInbox('a@x.test')).toBe(1);
    release(makeDigest());
    expect(await listing).toEqual([]);

    const watched = openStore({ isWatched: () => true });
    const adding = watched.store.add(slowDelivery());
    expect(await watched.store.deleteInbox('a@x.test')).toBe(1);
    release(makeDigest());
    await adding;
    expect(watched.events.map((event) => event.type)).toEqual(['deleted']);
  });
});

describe('memory store: a message kept in chunks', () => {
  it('joins the chunks only when the bytes are first read, and counts the objects of each chunk', async () => {
    const { store } = openStore();
    const chunks = [Buffer.alloc(4_000, 'a'), Buffer.alloc(3_000, 'b'), Buffer.alloc(3_000, 'c')];
    const { message, reads } = countedDelivery(['a@x.test']);
    const [head] = await store.add({ ...message, raw: chunks });
    expect(reads.count).toBe(0);
    const { bytes: inChunks } = await store.stats();
    await store.add({ ...countedDelivery(['b@x.test']).message, raw: Buffer.concat(chunks) });
    const inOne = (await store.stats()).bytes - inChunks;
    // Each chunk beyond the first is a Buffer and an allocation of its own.
    expect(inChunks - inOne).toBeGreaterThanOrEqual(2 * 256);
    const stored = await store.get('a@x.test', head!.id);
    expect(stored?.raw.equals(Buffer.concat(chunks))).toBe(true);
    expect((await store.get('a@x.test', head!.id))?.raw).toBe(stored?.raw);
  });
});
