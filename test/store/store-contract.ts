import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OverShareError, type Store, type StoreEvent } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

/** What every store is built with in the contract suite. */
export interface ContractSettings {
  clock: ManualClock;
  ttlMs: number;
  memoryLimit: number;
  memoryShare: number | null;
  inboxLimit: number;
}

/** Builds a fresh, empty store; `settle` lets a backend deliver pending events before assertions. */
export type StoreFactory = (settings: ContractSettings) => Promise<{ store: Store; settle?: () => Promise<void> }>;

const TTL = 60_000;
const INBOX_LIMIT = 5;
const MEMORY_LIMIT = 64 * 1024;
// A quarter, where the store keeps shares; elsewhere none, as with --memory-share 100%.
const SHARE = MEMORY_LIMIT / 4;

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

    /** A fresh store in place of the current one. */
    async function open(memoryShare: number | null): Promise<void> {
      await store?.close();
      const built = await factory({ clock, ttlMs: TTL, memoryLimit: MEMORY_LIMIT, memoryShare, inboxLimit: INBOX_LIMIT });
      store = built.store;
      settle = built.settle ?? (async () => {});
      events = [];
      store.subscribe((event) => events.push(event));
    }

    beforeEach(async () => {
      clock = createManualClock();
      await open(null);
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

    it('evicts the oldest message of the sender holding the most bytes, so a flood evicts its own mail first', async () => {
      const victims: string[] = [];
      for (let i = 0; i < 5; i++) {
        victims.push((await store.add(makeNewMessage([`victim${i}@x.test`], { sender: `192.0.2.${10 + i}` })))[0]!.id);
      }
      const [bigger] = await store.add(makeNewMessage(['bigger@x.test'], { size: 8 * 1024, sender: '192.0.2.30' }));
      const flood: string[] = [];
      for (let i = 0; i < 12; i++) {
        flood.push((await store.add(makeNewMessage([`flood${i}@x.test`], { size: 8 * 1024, sender: '198.51.100.7' })))[0]!.id);
        clock.advance(10);
      }
      await settle();
      const evicted = removals('evicted').map((event) => 'id' in event ? event.id : '');
      expect(evicted.length).toBeGreaterThan(0);
      expect(evicted).toEqual(flood.slice(0, evicted.length));
      for (const [i, id] of victims.entries()) expect(await store.get(`victim${i}@x.test`, id)).toBeDefined();
      expect(await store.get('bigger@x.test', bigger!.id)).toBeDefined();
      expect((await store.stats()).bytes).toBeLessThanOrEqual(MEMORY_LIMIT);
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

    it('keeps no shares when built without them', async () => {
      await store.add(makeNewMessage(['a@x.test']));
      expect(await store.shareOf('192.0.2.1')).toBeNull();
    });

    describe('with a share of a quarter of the budget', () => {
      const FLOODER = '198.51.100.7';
      beforeEach(() => open(SHARE));

      /** Adds 4,000-byte messages from `sender`, each to its own inbox, until one is refused; returns the ids stored and the refusal. */
      async function fillShare(sender: string): Promise<{ ids: string[]; refusal: unknown }> {
        const ids: string[] = [];
        for (let i = 0; i < 10; i++) {
          try {
            ids.push((await store.add(makeNewMessage([`fill${i}@x.test`], { size: 4_000, sender })))[0]!.id);
          } catch (error) {
            return { ids, refusal: error };
          }
        }
        return { ids, refusal: undefined };
      }

      it('refuses a message that would take its sender over the share, stores nothing of it, and takes other senders\' mail', async () => {
        const { ids, refusal } = await fillShare(FLOODER);
        expect(refusal).toBeInstanceOf(OverShareError);
        const { held, share } = (refusal as OverShareError).share;
        expect(share).toBe(SHARE);
        expect(ids.length).toBeGreaterThanOrEqual(2);
        // Every message cost the same, so one more would have taken the sender over.
        expect(held).toBeLessThanOrEqual(SHARE);
        expect(held + held / ids.length).toBeGreaterThan(SHARE);
        expect(await store.shareOf(FLOODER)).toEqual({ held, share: SHARE });
        await settle();
        expect((await store.stats()).messages).toBe(ids.length);
        expect(removals('evicted')).toEqual([]);

        expect(await store.add(makeNewMessage(['other@x.test'], { size: 4_000, sender: '192.0.2.50' }))).toHaveLength(1);
        await expect(store.add(makeNewMessage(['huge@x.test'], { size: SHARE + 1, sender: '192.0.2.51' }))).rejects.toThrow(OverShareError);
      });

      it('takes a sender\'s mail again once some of what it holds is gone', async () => {
        const { ids, refusal } = await fillShare(FLOODER);
        expect(refusal).toBeInstanceOf(OverShareError);
        expect(await store.delete('fill0@x.test', ids[0]!)).toBe(true);
        expect(await store.add(makeNewMessage(['again@x.test'], { size: 4_000, sender: FLOODER }))).toHaveLength(1);
      });

      it('evicts the oldest copies of an inbox over its share, and only from that inbox', async () => {
        const [other] = await store.add(makeNewMessage(['other@x.test'], { size: 5_000, sender: '192.0.2.9' }));
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          ids.push((await store.add(makeNewMessage(['big@x.test'], { size: 5_000, sender: `192.0.2.${10 + i}` })))[0]!.id);
          clock.advance(10);
        }
        await settle();
        const kept = (await store.list('big@x.test')).map((message) => message.id);
        expect(kept.length).toBeGreaterThan(0);
        expect(kept.length).toBeLessThan(ids.length);
        expect(kept).toEqual(ids.slice(ids.length - kept.length).reverse());
        expect(removals('evicted')).toEqual(ids.slice(0, ids.length - kept.length).map((id) => ({ type: 'evicted', inbox: 'big@x.test', id })));
        expect(await store.list('other@x.test')).toEqual([other]);
      });

      it('counts each sender back to zero however its mail left: evicted from a full inbox, deleted, emptied or expired', async () => {
        const [a, b] = ['192.0.2.60', '2001:db8:1:2::/64'];
        // One blob for two inboxes, then two of b's take x over its share, which evicts a's copy there.
        await store.add(makeNewMessage(['x@x.test', 'y@x.test'], { size: 5_000, sender: a }));
        await store.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: b }));
        await store.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: b }));
        const [deleted] = await store.add(makeNewMessage(['z@x.test'], { sender: a }));
        expect(await store.delete('z@x.test', deleted!.id)).toBe(true);
        expect(await store.deleteInbox('x@x.test')).toBe(2);
        clock.advance(TTL + 1);
        await settle();
        expect(removals('evicted').map((event) => event.inbox)).toEqual(['x@x.test']);
        expect(removals('expired').map((event) => event.inbox)).toEqual(['y@x.test']);
        expect(await store.shareOf(a)).toEqual({ held: 0, share: SHARE });
        expect(await store.shareOf(b)).toEqual({ held: 0, share: SHARE });
        expect(await store.stats()).toEqual({ messages: 0, bytes: 0 });
      });
    });
  });
}
