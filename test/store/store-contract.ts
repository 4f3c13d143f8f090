import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, StoreEvent } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

/** What every store is built with in the contract suite. */
export interface ContractSettings {
  clock: ManualClock;
  ttlMs: number;
  memoryLimit: number;
  inboxLimit: number;
}

/** Builds a fresh, empty store; `settle` lets a backend deliver pending events before assertions. */
export type StoreFactory = (settings: ContractSettings) => Promise<{ store: Store; settle?: () => Promise<void> }>;

const TTL = 60_000;
const INBOX_LIMIT = 5;
const MEMORY_LIMIT = 64 * 1024;

/**
 * The behaviour every Store implementation promises. Run it against each
 * backend: `describeStoreContract('memory', factory)`.
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let clock: ManualClock;
    let store: Store;
    let settle: () => Promise<void>;
    let events: StoreEvent[];

    beforeEach(async () => {
      clock = createManualClock();
      const built = await factory({ clock, ttlMs: TTL, memoryLimit: MEMORY_LIMIT, inboxLimit: INBOX_LIMIT });
      store = built.store;
      settle = built.settle ?? (async () => {});
      events = [];
      store.subscribe((event) => events.push(event));
    });
    afterEach(async () => store.close());

    const removals = (type: StoreEvent['type']) => events.filter((event) => event.type === type);

    it('stores one copy per recipient, each with its own id, tag and times', async () => {
      const added = await store.add(makeNewMessage(['a@x.test', 'b@x.test'], { tags: ['news', null] }));
      expect(added).toHaveLength(2);
      expect(added[0]?.id).not.toBe(added[1]?.id);
      expect(added[0]).toMatchObject({ inbox: 'a@x.test', tag: 'news', size: 1_000, receivedAt: clock.now(), expiresAt: clock.now() + TTL });
      expect(await store.list('b@x.test')).toEqual([added[1]]);
      const stored = await store.get('a@x.test', added[0]!.id);
      expect(stored?.raw.length).toBe(1_000);
      expect(stored?.envelope.rcptTo).toEqual(['a@x.test', 'b@x.test']);
    });

    it('makes ids that are long, random and distinct', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) ids.add((await store.add(makeNewMessage(['a@x.test'])))[0]!.id);
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id.length).toBeGreaterThanOrEqual(26);
    });

    it('lists newest first', async () => {
      const first = (await store.add(makeNewMessage(['a@x.test'], { subject: 'one' })))[0]!;
      clock.advance(1_000);
      const second = (await store.add(makeNewMessage(['a@x.test'], { subject: 'two' })))[0]!;
      expect((await store.list('a@x.test')).map((m) => m.id)).toEqual([second.id, first.id]);
    });

    it('never returns a message under another inbox', async () => {
      const [message] = await store.add(makeNewMessage(['a@x.test']));
      expect(await store.get('b@x.test', message!.id)).toBeUndefined();
      expect(await store.delete('b@x.test', message!.id)).toBe(false);
      expect(await store.get('a@x.test', 'no-such-id')).toBeUndefined();
      expect(await store.list('b@x.test')).toEqual([]);
    });

    it('announces every copy it stores with its head, whoever is listening', async () => {
      const added = await store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      await settle();
      expect(removals('message')).toEqual(added.map((head) => ({ type: 'message', inbox: head.inbox, message: head })));
    });

    it('deletes one message with a deleted event', async () => {
      const [message] = await store.add(makeNewMessage(['a@x.test']));
      expect(await store.delete('a@x.test', message!.id)).toBe(true);
      await settle();
      expect(await store.get('a@x.test', message!.id)).toBeUndefined();
      expect(removals('deleted')).toEqual([{ type: 'deleted', inbox: 'a@x.test', id: message!.id }]);
      expect(await store.delete('a@x.test', message!.id)).toBe(false);
    });

    it('empties an inbox and leaves others alone', async () => {
      await store.add(makeNewMessage(['a@x.test']));
      await store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      expect(await store.deleteInbox('a@x.test')).toBe(2);
      await settle();
      expect(await store.list('a@x.test')).toEqual([]);
      expect(await store.list('b@x.test')).toHaveLength(1);
      expect(removals('deleted')).toHaveLength(2);
      expect(await store.deleteInbox('a@x.test')).toBe(0);
    });

    it('expires messages on time with an expired event, not only when read', async () => {
      const [message] = await store.add(makeNewMessage(['a@x.test']));
      clock.advance(TTL - 1);
      expect(await store.get('a@x.test', message!.id)).toBeDefined();
      clock.advance(2);
      await settle();
      expect(removals('expired')).toEqual([{ type: 'expired', inbox: 'a@x.test', id: message!.id }]);
      expect(await store.list('a@x.test')).toEqual([]);
      expect((await store.stats()).messages).toBe(0);
    });

    it('expires each message at its own time', async () => {
      await store.add(makeNewMessage(['a@x.test'], { subject: 'early' }));
      clock.advance(TTL / 2);
      const [late] = await store.add(makeNewMessage(['a@x.test'], { subject: 'late' }));
      clock.advance(TTL / 2 + 1);
      await settle();
      expect((await store.list('a@x.test')).map((m) => m.id)).toEqual([late!.id]);
      clock.advance(TTL / 2);
      await settle();
      expect(removals('expired')).toHaveLength(2);
    });

    it('does not extend a life by reading', async () => {
      const [message] = await store.add(makeNewMessage(['a@x.test']));
      for (let i = 0; i < 5; i++) {
        clock.advance(TTL / 6);
        await store.get('a@x.test', message!.id);
        await store.list('a@x.test');
      }
      clock.advance(TTL / 6 + 1);
      await settle();
      expect(await store.get('a@x.test', message!.id)).toBeUndefined();
    });

    it('evicts the oldest message of a full inbox', async () => {
      const ids: string[] = [];
      for (let i = 0; i <= INBOX_LIMIT; i++) {
        ids.push((await store.add(makeNewMessage(['a@x.test'])))[0]!.id);
        clock.advance(10);
      }
      await settle();
      const listed = (await store.list('a@x.test')).map((m) => m.id);
      expect(listed).toHaveLength(INBOX_LIMIT);
      expect(listed).not.toContain(ids[0]);
      expect(removals('evicted')).toEqual([{ type: 'evicted', inbox: 'a@x.test', id: ids[0] }]);
    });

    it('evicts the oldest messages store-wide to stay within the byte budget', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push((await store.add(makeNewMessage([`inbox${i}@x.test`], { size: 8 * 1024 })))[0]!.id);
        clock.advance(10);
      }
      await settle();
      const stats = await store.stats();
      expect(stats.bytes).toBeLessThanOrEqual(MEMORY_LIMIT);
      expect(stats.messages).toBeGreaterThan(0);
      expect(stats.messages).toBeLessThan(12);
      const evicted = removals('evicted').map((event) => 'id' in event ? event.id : '');
      expect(evicted).toEqual(ids.slice(0, evicted.length));
      expect(await store.list('inbox11@x.test')).toHaveLength(1);
    });

    it('counts raw bytes shared by several recipients once', async () => {
      await store.add(makeNewMessage(['a@x.test', 'b@x.test', 'c@x.test'], { size: 10_000 }));
      const { bytes, messages } = await store.stats();
      expect(messages).toBe(3);
      expect(bytes).toBeGreaterThanOrEqual(10_000);
      expect(bytes).toBeLessThan(2 * 10_000);
    });

    it('takes a message in the chunks it arrived in, reads it back joined, and counts at least its bytes', async () => {
      const chunks = [Buffer.alloc(4_000, 'a'), Buffer.alloc(3_000, 'b'), Buffer.alloc(3_000, 'c')];
      const joined = Buffer.concat(chunks);
      const [head] = await store.add({ ...makeNewMessage(['a@x.test']), raw: chunks });
      expect(head?.size).toBe(10_000);
      const stored = await store.get('a@x.test', head!.id);
      expect(Buffer.isBuffer(stored?.raw) && stored.raw.equals(joined)).toBe(true);
      const { bytes: inChunks } = await store.stats();
      await store.deleteInbox('a@x.test');
      await store.add(makeNewMessage(['a@x.test'], { size: 10_000 }));
      const { bytes: inOne } = await store.stats();
      // A store may count the objects of the chunks it keeps, not much more.
      expect(inChunks).toBeGreaterThanOrEqual(inOne);
      expect(inChunks).toBeLessThanOrEqual(inOne + chunks.length * 1_024);
    });

    it('refuses a message larger than the whole budget', async () => {
      await expect(store.add(makeNewMessage(['a@x.test'], { size: MEMORY_LIMIT + 1 }))).rejects.toThrow(/larger than the memory/);
    });

    it('keeps going when a listener throws, and stops calling one that unsubscribed', async () => {
      const seen: string[] = [];
      store.subscribe(() => { throw new Error('listener bug'); });
      const unsubscribe = store.subscribe((event) => seen.push(event.type));
      await store.add(makeNewMessage(['a@x.test']));
      await settle();
      unsubscribe();
      await store.add(makeNewMessage(['a@x.test']));
      await settle();
      expect(seen).toEqual(['message']);
      expect(removals('message')).toHaveLength(2);
    });

    it('returns to zero bytes when everything is gone', async () => {
      await store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      await store.deleteInbox('a@x.test');
      await store.deleteInbox('b@x.test');
      expect(await store.stats()).toEqual({ messages: 0, bytes: 0 });
    });
  });
}
