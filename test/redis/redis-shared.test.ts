import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../../src/store/redis/redis-store.js';
import { redisKeys } from '../../src/store/redis/keys.js';
import { OverShareError, type StoreEvent } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';

const TTL = 60_000;

/** Two stores on one Redis and one prefix, as two Ephemail instances would be, sharing a manual clock. */
describe.skipIf(skipRedisTests())('Redis store shared by two instances', () => {
  let server: RedisServer;
  let redis: Redis;
  let clock: ManualClock;
  let prefix: string;
  let a: RedisStore;
  let b: RedisStore;
  let seenByA: StoreEvent[];
  let seenByB: StoreEvent[];

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  async function open(limits: { inboxLimit?: number; memoryLimit?: number; memoryShare?: number } = {}) {
    const settings = {
      url: server.url, keyPrefix: prefix, clock, ttlMs: TTL,
      inboxLimit: limits.inboxLimit ?? 5, memoryLimit: limits.memoryLimit ?? 1024 * 1024, memoryShare: limits.memoryShare ?? null,
    };
    a = await createRedisStore(settings);
    b = await createRedisStore(settings);
    a.subscribe((event) => seenByA.push(event));
    b.subscribe((event) => seenByB.push(event));
  }
  const settle = async () => {
    await a.flush();
    await b.flush();
  };

  beforeEach(() => {
    clock = createManualClock();
    prefix = `shared-${randomUUID()}:`;
    seenByA = [];
    seenByB = [];
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });

  it('shows a message added on one instance to the other, with its event', async () => {
    await open();
    const [added] = await a.add(makeNewMessage(['x@x.test'], { subject: 'across' }));
    await settle();
    expect(await b.list('x@x.test')).toEqual([added]);
    expect((await b.get('x@x.test', added!.id))?.raw.length).toBe(1_000);
    expect(seenByB).toEqual([{ type: 'message', inbox: 'x@x.test', message: added }]);
    expect(await b.delete('x@x.test', added!.id)).toBe(true);
    await settle();
    expect(seenByA.at(-1)).toEqual({ type: 'deleted', inbox: 'x@x.test', id: added!.id });
  });

  it('holds the per-inbox cap when both instances add at once', async () => {
    await open({ inboxLimit: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).add(makeNewMessage(['cap@x.test']))));
    await settle();
    expect(await a.list('cap@x.test')).toHaveLength(5);
    expect((await b.stats()).messages).toBe(5);
    expect(seenByA.filter((event) => event.type === 'evicted')).toHaveLength(15);
    expect(seenByB.filter((event) => event.type === 'evicted')).toHaveLength(15);
  });

  it('holds the byte budget store-wide, evicting the oldest whichever instance added it', async () => {
    await open({ memoryLimit: 64 * 1024 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const store = i % 2 === 0 ? a : b;
      ids.push((await store.add(makeNewMessage([`budget${i}@x.test`], { size: 8 * 1024 })))[0]!.id);
      clock.advance(10);
    }
    await settle();
    const stats = await a.stats();
    expect(stats.bytes).toBeLessThanOrEqual(64 * 1024);
    const evicted = seenByB.flatMap((event) => event.type === 'evicted' ? [event.id] : []);
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted).toEqual(ids.slice(0, evicted.length));
    expect(stats.messages).toBe(12 - evicted.length);
  });

  it('lets exactly one instance expire each message, and both hear of it once', async () => {
    await open();
    const added = [
      ...await a.add(makeNewMessage(['ttl@x.test', 'ttl2@x.test'])),
      ...await b.add(makeNewMessage(['ttl@x.test'])),
    ];
    await settle();
    // Both sweepers are armed (each heard of every message) and fire together.
    clock.advance(TTL + 1);
    await settle();
    const expiredIds = (events: StoreEvent[]) => events.flatMap((event) => event.type === 'expired' ? [event.id] : []).sort();
    const ids = added.map((message) => message.id).sort();
    expect(expiredIds(seenByA)).toEqual(ids);
    expect(expiredIds(seenByB)).toEqual(ids);
    expect(await b.stats()).toEqual({ messages: 0, bytes: 0 });
  });

  it('stores raw bytes once for all recipients and sets a PEXPIRE backstop on every message key', async () => {
    await open();
    const added = await a.add(makeNewMessage(['r1@x.test', 'r2@x.test', 'r3@x.test'], { size: 5_000 }));
    const keys = redisKeys(prefix);
    const rawKeys = await redis.keys(`${prefix}raw:*`);
    expect(rawKeys).toHaveLength(1);
    expect(await redis.strlen(rawKeys[0]!)).toBe(5_000);
    expect(Number(await redis.hget(keys.refs, rawKeys[0]!.slice(`${prefix}raw:`.length)))).toBe(3);
    for (const key of [...rawKeys, ...added.map((message) => keys.message(message.id))]) {
      const left = await redis.pttl(key);
      expect(left).toBeGreaterThan(TTL);
      expect(left).toBeLessThanOrEqual(TTL + 10 * 60_000);
    }
    for (const key of [keys.index, keys.arrival, keys.expiry, keys.bytes, keys.inbox('r1@x.test')]) {
      expect(await redis.pttl(key)).toBeGreaterThan(TTL);
    }
  });

  it('cleans up after the backstop removed a message the sweeper never reached', async () => {
    await open();
    const [added] = await a.add(makeNewMessage(['gone@x.test']));
    const keys = redisKeys(prefix);
    // As if every instance had been down past the backstop: Redis dropped the message and its bytes.
    await redis.del(keys.message(added!.id), ...await redis.keys(`${prefix}raw:*`));
    expect(await b.list('gone@x.test')).toEqual([]);
    expect(await b.get('gone@x.test', added!.id)).toBeUndefined();
    clock.advance(TTL + 1);
    await settle();
    expect(await a.stats()).toEqual({ messages: 0, bytes: 0 });
  });

  it('still lists a copy stored by Ephemail 0.1, whose head sits in a summary with its digest, and shows only the head', async () => {
    await open();
    const [added] = await a.add(makeNewMessage(['old@x.test']));
    const keys = redisKeys(prefix);
    const legacy = JSON.stringify({ ...added, subject: 'stale', preview: 'stale', codes: ['111111'] });
    await redis.hdel(keys.message(added!.id), 'head');
    await redis.hset(keys.message(added!.id), 'summary', legacy);
    expect(await b.list('old@x.test')).toEqual([added]);
    expect((await b.get('old@x.test', added!.id))?.head).toEqual(added);
  });

  it('announces no copy that the byte budget evicted in the same delivery', async () => {
    await open();
    // As if the byte count had drifted above what is stored (keys dropped by their backstop, say).
    await redis.incrby(redisKeys(prefix).bytes, 10 * 1024 * 1024);
    const [added] = await a.add(makeNewMessage(['drift@x.test']));
    await settle();
    expect(seenByB.filter((event) => event.type !== 'message' || event.message.id !== added!.id)).toEqual([
      { type: 'evicted', inbox: 'drift@x.test', id: added!.id },
    ]);
    expect(seenByB.some((event) => event.type === 'message')).toBe(false);
  });

  it('holds a sender\'s share when both instances add its mail at once', async () => {
    await open({ memoryShare: 64 * 1024 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? a : b).add(makeNewMessage([`share${i}@x.test`], { size: 8 * 1024, sender: '198.51.100.7' }))));
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const result of refused) expect(result.status === 'rejected' && result.reason).toBeInstanceOf(OverShareError);
    const share = await a.shareOf('198.51.100.7');
    expect(share?.held).toBeLessThanOrEqual(64 * 1024);
    // What the sender holds is exactly what the store holds: it sent everything.
    expect(share?.held).toBe((await b.stats()).bytes);
    expect((await b.stats()).messages).toBe(20 - refused.length);
  });

  it('deletes each count as it reaches zero, so nothing is left of senders and inboxes whose mail is gone', async () => {
    await open({ memoryShare: 16 * 1024 });
    await a.add(makeNewMessage(['x@x.test', 'y@x.test'], { size: 5_000, sender: '192.0.2.60' }));
    await b.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: '2001:db8:1:2::/64' }));
    await a.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: '2001:db8:1:2::/64' }));
    const keys = redisKeys(prefix);
    expect(await redis.zcard(keys.senders)).toBe(2);
    expect(await redis.hlen(keys.inboxBytes)).toBe(2);
    await b.deleteInbox('x@x.test');
    clock.advance(TTL + 1);
    await settle();
    expect(await a.stats()).toEqual({ messages: 0, bytes: 0 });
    expect(await redis.exists(keys.senders, keys.inboxBytes, keys.attributed)).toBe(0);
    expect(await redis.keys(`${prefix}sent:*`)).toEqual([]);
  });

  it('counts copies stored before senders were counted as one unknown sender, evicted first while it holds the most', async () => {
    const size = 8 * 1024;
    await open({ memoryLimit: 64 * 1024 });
    const keys = redisKeys(prefix);
    const legacy: string[] = [];
    for (let i = 0; i < 3; i++) legacy.push((await a.add(makeNewMessage([`old${i}@x.test`], { size, sender: 'legacy' })))[0]!.id);
    // As Ephemail stored them before it counted senders: no sender in the index, and no counts.
    for (const id of legacy) {
      const { sender: _sender, ...meta } = JSON.parse(await redis.hget(keys.index, id) ?? '{}') as Record<string, unknown>;
      await redis.hset(keys.index, id, JSON.stringify(meta));
    }
    await redis.del(keys.senders, keys.inboxBytes, keys.attributed, keys.sent('legacy'));

    // Smaller senders, each holding less than the unknown one, until the budget has evicted all of its copies.
    const fresh: string[] = [];
    for (let i = 0; i < 12 && await redis.hexists(keys.index, legacy.at(-1)!) === 1; i++) {
      fresh.push((await b.add(makeNewMessage([`new${i}@x.test`], { size: size / 2, sender: `192.0.2.${10 + i}` })))[0]!.id);
      clock.advance(10);
    }
    await settle();
    const evicted = seenByA.flatMap((event) => event.type === 'evicted' ? [event.id] : []);
    expect(evicted).toEqual(legacy);
    expect((await a.stats()).messages).toBe(fresh.length);
    // Every byte left belongs to a counted sender, and no count went below zero.
    expect(await redis.get(keys.attributed)).toBe(await redis.get(keys.bytes));
    expect(await redis.zrangebyscore(keys.senders, '-inf', 0)).toEqual([]);
    expect(await redis.exists(keys.sent('legacy'))).toBe(0);
  });
});
