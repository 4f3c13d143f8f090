import { describe, expect, it } from 'vitest';
import { makeNewMessage } from '../support/messages.js';
import { INBOX_LIMIT, MEMORY_LIMIT, TTL, useContractStore, type StoreFactory } from './contract-store.js';

/**
 * The behaviour every Store implementation promises. Run it against each
 * backend: `describeStoreContract('memory', factory)`.
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const current = useContractStore(factory, null);

    it('stores one copy per recipient, each with its own id, tag and times', async () => {
      const added = await current.store.add(makeNewMessage(['a@x.test', 'b@x.test'], { tags: ['news', null] }));
      expect(added).toHaveLength(2);
      expect(added[0]?.id).not.toBe(added[1]?.id);
      expect(added[0]).toMatchObject({ inbox: 'a@x.test', tag: 'news', size: 1_000, receivedAt: current.clock.now(), expiresAt: current.clock.now() + TTL });
      expect(await current.store.list('b@x.test')).toEqual([added[1]]);
      const stored = await current.store.get('a@x.test', added[0]!.id);
      expect(stored?.raw.length).toBe(1_000);
      expect(stored?.envelope.rcptTo).toEqual(['a@x.test', 'b@x.test']);
    });

    it('keeps what the SMTP session saw with the envelope of every copy, and stores a delivery without it as given', async () => {
      const session = { clientIp: '2001:db8::25', helo: 'mta.sender.test', tls: true, startedAt: current.clock.now() - 1_500 };
      const added = await current.store.add(makeNewMessage(['a@x.test', 'b@x.test'], { session }));
      for (const head of added) {
        expect((await current.store.get(head.inbox, head.id))?.envelope).toEqual({ mailFrom: 'sender@example.com', rcptTo: ['a@x.test', 'b@x.test'], session });
      }
      const [without] = await current.store.add(makeNewMessage(['a@x.test']));
      expect((await current.store.get('a@x.test', without!.id))?.envelope).toEqual({ mailFrom: 'sender@example.com', rcptTo: ['a@x.test'] });
    });

    it('makes ids that are long, random and distinct', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) ids.add((await current.store.add(makeNewMessage(['a@x.test'])))[0]!.id);
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id.length).toBeGreaterThanOrEqual(26);
    });

    it('lists newest first', async () => {
      const first = (await current.store.add(makeNewMessage(['a@x.test'], { subject: 'one' })))[0]!;
      current.clock.advance(1_000);
      const second = (await current.store.add(makeNewMessage(['a@x.test'], { subject: 'two' })))[0]!;
      expect((await current.store.list('a@x.test')).map((m) => m.id)).toEqual([second.id, first.id]);
    });

    it('never returns a message under another inbox', async () => {
      const [message] = await current.store.add(makeNewMessage(['a@x.test']));
      expect(await current.store.get('b@x.test', message!.id)).toBeUndefined();
      expect(await current.store.delete('b@x.test', message!.id)).toBe(false);
      expect(await current.store.get('a@x.test', 'no-such-id')).toBeUndefined();
      expect(await current.store.list('b@x.test')).toEqual([]);
    });

    it('announces every copy it stores with its head, whoever is listening', async () => {
      const added = await current.store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      await current.settle();
      expect(current.eventsOf('message')).toEqual(added.map((head) => ({ type: 'message', inbox: head.inbox, message: head })));
    });

    it('deletes one message with a deleted event', async () => {
      const [message] = await current.store.add(makeNewMessage(['a@x.test']));
      expect(await current.store.delete('a@x.test', message!.id)).toBe(true);
      await current.settle();
      expect(await current.store.get('a@x.test', message!.id)).toBeUndefined();
      expect(current.eventsOf('deleted')).toEqual([{ type: 'deleted', inbox: 'a@x.test', id: message!.id }]);
      expect(await current.store.delete('a@x.test', message!.id)).toBe(false);
    });

    it('empties an inbox and leaves others alone', async () => {
      await current.store.add(makeNewMessage(['a@x.test']));
      await current.store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      expect(await current.store.deleteInbox('a@x.test')).toBe(2);
      await current.settle();
      expect(await current.store.list('a@x.test')).toEqual([]);
      expect(await current.store.list('b@x.test')).toHaveLength(1);
      expect(current.eventsOf('deleted')).toHaveLength(2);
      expect(await current.store.deleteInbox('a@x.test')).toBe(0);
    });

    it('expires messages on time with an expired event, not only when read', async () => {
      const [message] = await current.store.add(makeNewMessage(['a@x.test']));
      current.clock.advance(TTL - 1);
      expect(await current.store.get('a@x.test', message!.id)).toBeDefined();
      current.clock.advance(2);
      await current.settle();
      expect(current.eventsOf('expired')).toEqual([{ type: 'expired', inbox: 'a@x.test', id: message!.id }]);
      expect(await current.store.list('a@x.test')).toEqual([]);
      expect((await current.store.stats()).messages).toBe(0);
    });

    it('expires each message at its own time', async () => {
      await current.store.add(makeNewMessage(['a@x.test'], { subject: 'early' }));
      current.clock.advance(TTL / 2);
      const [late] = await current.store.add(makeNewMessage(['a@x.test'], { subject: 'late' }));
      current.clock.advance(TTL / 2 + 1);
      await current.settle();
      expect((await current.store.list('a@x.test')).map((m) => m.id)).toEqual([late!.id]);
      current.clock.advance(TTL / 2);
      await current.settle();
      expect(current.eventsOf('expired')).toHaveLength(2);
    });

    it('does not extend a life by reading', async () => {
      const [message] = await current.store.add(makeNewMessage(['a@x.test']));
      for (let i = 0; i < 5; i++) {
        current.clock.advance(TTL / 6);
        await current.store.get('a@x.test', message!.id);
        await current.store.list('a@x.test');
      }
      current.clock.advance(TTL / 6 + 1);
      await current.settle();
      expect(await current.store.get('a@x.test', message!.id)).toBeUndefined();
    });

    it('evicts the oldest message of a full inbox', async () => {
      const ids: string[] = [];
      for (let i = 0; i <= INBOX_LIMIT; i++) {
        ids.push((await current.store.add(makeNewMessage(['a@x.test'])))[0]!.id);
        current.clock.advance(10);
      }
      await current.settle();
      const listed = (await current.store.list('a@x.test')).map((m) => m.id);
      expect(listed).toHaveLength(INBOX_LIMIT);
      expect(listed).not.toContain(ids[0]);
      expect(current.eventsOf('evicted')).toEqual([{ type: 'evicted', inbox: 'a@x.test', id: ids[0] }]);
    });

    it('keeps within the byte budget by evicting the oldest messages of the sender holding the most, across its inboxes (one sender here)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push((await current.store.add(makeNewMessage([`inbox${i}@x.test`], { size: 8 * 1024 })))[0]!.id);
        current.clock.advance(10);
      }
      await current.settle();
      const stats = await current.store.stats();
      expect(stats.bytes).toBeLessThanOrEqual(MEMORY_LIMIT);
      expect(stats.messages).toBeGreaterThan(0);
      expect(stats.messages).toBeLessThan(12);
      const evicted = current.eventsOf('evicted').map((event) => 'id' in event ? event.id : '');
      expect(evicted).toEqual(ids.slice(0, evicted.length));
      expect(await current.store.list('inbox11@x.test')).toHaveLength(1);
    });

    it('evicts the oldest message of the sender holding the most bytes, so a flood evicts its own mail first', async () => {
      const victims: string[] = [];
      for (let i = 0; i < 5; i++) {
        victims.push((await current.store.add(makeNewMessage([`victim${i}@x.test`], { sender: `192.0.2.${10 + i}` })))[0]!.id);
      }
      const [bigger] = await current.store.add(makeNewMessage(['bigger@x.test'], { size: 8 * 1024, sender: '192.0.2.30' }));
      const flood: string[] = [];
      for (let i = 0; i < 12; i++) {
        flood.push((await current.store.add(makeNewMessage([`flood${i}@x.test`], { size: 8 * 1024, sender: '198.51.100.7' })))[0]!.id);
        current.clock.advance(10);
      }
      await current.settle();
      const evicted = current.eventsOf('evicted').map((event) => 'id' in event ? event.id : '');
      expect(evicted.length).toBeGreaterThan(0);
      expect(evicted).toEqual(flood.slice(0, evicted.length));
      for (const [i, id] of victims.entries()) expect(await current.store.get(`victim${i}@x.test`, id)).toBeDefined();
      expect(await current.store.get('bigger@x.test', bigger!.id)).toBeDefined();
      expect((await current.store.stats()).bytes).toBeLessThanOrEqual(MEMORY_LIMIT);
    });

    it('counts raw bytes shared by several recipients once', async () => {
      await current.store.add(makeNewMessage(['a@x.test', 'b@x.test', 'c@x.test'], { size: 10_000 }));
      const { bytes, messages } = await current.store.stats();
      expect(messages).toBe(3);
      expect(bytes).toBeGreaterThanOrEqual(10_000);
      expect(bytes).toBeLessThan(2 * 10_000);
    });

    it('takes a message in the chunks it arrived in, reads it back joined, and counts at least its bytes', async () => {
      const chunks = [Buffer.alloc(4_000, 'a'), Buffer.alloc(3_000, 'b'), Buffer.alloc(3_000, 'c')];
      const joined = Buffer.concat(chunks);
      const [head] = await current.store.add({ ...makeNewMessage(['a@x.test']), raw: chunks });
      expect(head?.size).toBe(10_000);
      const stored = await current.store.get('a@x.test', head!.id);
      expect(Buffer.isBuffer(stored?.raw) && stored.raw.equals(joined)).toBe(true);
      const { bytes: inChunks } = await current.store.stats();
      await current.store.deleteInbox('a@x.test');
      await current.store.add(makeNewMessage(['a@x.test'], { size: 10_000 }));
      const { bytes: inOne } = await current.store.stats();
      // A store may count the objects of the chunks it keeps, not much more.
      expect(inChunks).toBeGreaterThanOrEqual(inOne);
      expect(inChunks).toBeLessThanOrEqual(inOne + chunks.length * 1_024);
    });

    it('refuses a message larger than the whole budget', async () => {
      await expect(current.store.add(makeNewMessage(['a@x.test'], { size: MEMORY_LIMIT + 1 }))).rejects.toThrow(/larger than the memory/);
    });

    it('keeps going when a listener throws, and stops calling one that unsubscribed', async () => {
      const seen: string[] = [];
      current.store.subscribe(() => { throw new Error('listener bug'); });
      const unsubscribe = current.store.subscribe((event) => seen.push(event.type));
      await current.store.add(makeNewMessage(['a@x.test']));
      await current.settle();
      unsubscribe();
      await current.store.add(makeNewMessage(['a@x.test']));
      await current.settle();
      expect(seen).toEqual(['message']);
      expect(current.eventsOf('message')).toHaveLength(2);
    });

    it('returns to zero bytes when everything is gone', async () => {
      await current.store.add(makeNewMessage(['a@x.test', 'b@x.test']));
      await current.store.deleteInbox('a@x.test');
      await current.store.deleteInbox('b@x.test');
      expect(await current.store.stats()).toEqual({ messages: 0, bytes: 0 });
    });

    it('keeps no shares when built without them', async () => {
      await current.store.add(makeNewMessage(['a@x.test']));
      expect(await current.store.shareOf('192.0.2.1')).toBeNull();
    });
  });
}
