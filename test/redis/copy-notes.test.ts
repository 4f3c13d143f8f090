import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../../src/store/redis/redis-store.js';
import { MAX_NOTE_BYTES } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';

const TTL = 60_000;

/** The notes capability of the Redis store (CopyNotes); the memory store has none, so it is not in the contract suite. */
describe.skipIf(skipRedisTests())('Redis store notes', () => {
  let server: RedisServer;
  let redis: Redis;
  let clock: ManualClock;
  let prefix: string;
  let a: RedisStore;
  let b: RedisStore;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  // Two instances on one prefix, as a deployment runs them.
  beforeEach(async () => {
    clock = createManualClock();
    prefix = `notes-${randomUUID()}:`;
    const settings = { url: server.url, keyPrefix: prefix, clock, ttlMs: TTL, inboxLimit: 3, memoryLimit: 64 * 1024, memoryShare: null };
    a = await createRedisStore(settings);
    b = await createRedisStore(settings);
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });

  const noteKeys = () => redis.keys(`${prefix}note:*`);

  it('keeps a note on one instance that the other reads, for every copy of the same bytes', async () => {
    const [first, second] = await a.add(makeNewMessage(['n1@x.test', 'n2@x.test']));
    expect(await b.notes.noteOf('n1@x.test', first!.id)).toBeUndefined();
    expect(await a.notes.keepNote('n1@x.test', first!.id, '{"kept":1}')).toBe(true);
    expect(await b.notes.noteOf('n1@x.test', first!.id)).toBe('{"kept":1}');
    expect(await b.notes.noteOf('n2@x.test', second!.id)).toBe('{"kept":1}');
    expect(await noteKeys()).toHaveLength(1);
    expect(await b.notes.keepNote('n2@x.test', second!.id, '{"kept":2}')).toBe(true);
    expect(await a.notes.noteOf('n1@x.test', first!.id)).toBe('{"kept":2}');
  });

  it('answers and keeps nothing for a copy asked of another inbox', async () => {
    const [added] = await a.add(makeNewMessage(['mine@x.test']));
    expect(await a.notes.keepNote('other@x.test', added!.id, '{}')).toBe(false);
    expect(await noteKeys()).toEqual([]);
    await a.notes.keepNote('mine@x.test', added!.id, '{}');
    expect(await b.notes.noteOf('other@x.test', added!.id)).toBeUndefined();
  });

  it('gives the note the remaining life of the bytes, so their backstop drops both', async () => {
    const [added] = await a.add(makeNewMessage(['life@x.test']));
    await a.notes.keepNote('life@x.test', added!.id, '{}');
    const [raw] = await redis.keys(`${prefix}raw:*`);
    const [note] = await noteKeys();
    const [rawLeft, noteLeft] = await Promise.all([redis.pttl(raw!), redis.pttl(note!)]);
    expect(noteLeft).toBeGreaterThan(TTL);
    expect(noteLeft).toBeLessThanOrEqual(rawLeft);
    expect(rawLeft - noteLeft).toBeLessThan(1_000);
  });

  it(`refuses a note longer than ${MAX_NOTE_BYTES} bytes, counted in UTF-8`, async () => {
    const [added] = await a.add(makeNewMessage(['long@x.test']));
    expect(await a.notes.keepNote('long@x.test', added!.id, 'é'.repeat(MAX_NOTE_BYTES / 2))).toBe(true);
    expect(await a.notes.keepNote('long@x.test', added!.id, `${'é'.repeat(MAX_NOTE_BYTES / 2)}x`)).toBe(false);
    expect(await b.notes.noteOf('long@x.test', added!.id)).toBe('é'.repeat(MAX_NOTE_BYTES / 2));
  });

  it('removes the note with the last copy of the bytes that is deleted, not before', async () => {
    const [first, second] = await a.add(makeNewMessage(['d1@x.test', 'd2@x.test']));
    await a.notes.keepNote('d1@x.test', first!.id, '{}');
    await b.delete('d1@x.test', first!.id);
    expect(await a.notes.noteOf('d1@x.test', first!.id)).toBeUndefined();
    expect(await a.notes.noteOf('d2@x.test', second!.id)).toBe('{}');
    await b.deleteInbox('d2@x.test');
    expect(await noteKeys()).toEqual([]);
  });

  it('keeps no note for a copy already deleted, so none outlives its bytes', async () => {
    const [added] = await a.add(makeNewMessage(['late@x.test']));
    await b.delete('late@x.test', added!.id);
    expect(await a.notes.keepNote('late@x.test', added!.id, '{}')).toBe(false);
    expect(await noteKeys()).toEqual([]);
  });

  it('removes the note of a copy evicted by the inbox limit', async () => {
    const [oldest] = await a.add(makeNewMessage(['full@x.test']));
    await a.notes.keepNote('full@x.test', oldest!.id, '{}');
    for (let i = 0; i < 3; i++) await b.add(makeNewMessage(['full@x.test']));
    expect((await a.list('full@x.test')).map((head) => head.id)).not.toContain(oldest!.id);
    expect(await noteKeys()).toEqual([]);
  });

  it('removes the note of a copy evicted by the byte budget', async () => {
    const [oldest] = await a.add(makeNewMessage(['budget1@x.test'], { size: 30 * 1024 }));
    await a.notes.keepNote('budget1@x.test', oldest!.id, '{}');
    await b.add(makeNewMessage(['budget2@x.test'], { size: 40 * 1024 }));
    expect(await a.list('budget1@x.test')).toEqual([]);
    expect(await noteKeys()).toEqual([]);
  });

  it('answers no note once the copy has expired, and the sweep removes it', async () => {
    const [added] = await a.add(makeNewMessage(['ttl@x.test']));
    await a.notes.keepNote('ttl@x.test', added!.id, '{}');
    // Past its life but not yet swept: no longer live, so no note.
    clock.advance(TTL + 1);
    expect(await b.notes.noteOf('ttl@x.test', added!.id)).toBeUndefined();
    await a.flush();
    await b.flush();
    expect(await a.stats()).toEqual({ messages: 0, bytes: 0 });
    expect(await noteKeys()).toEqual([]);
  });

  it('counts no note against the byte budget: reading a message must not evict anyone\'s mail', async () => {
    const [added] = await a.add(makeNewMessage(['free@x.test']));
    const before = await a.stats();
    await a.notes.keepNote('free@x.test', added!.id, 'x'.repeat(MAX_NOTE_BYTES));
    expect(await b.stats()).toEqual(before);
  });
});
