import { describe, expect, it } from 'vitest';
import { OverShareError } from '../../src/store/store.js';
import { makeNewMessage } from '../support/messages.js';
import { MEMORY_LIMIT, TTL, useContractStore, type StoreFactory } from './contract-store.js';

// A quarter of the budget: small enough that a few messages fill it.
const SHARE = MEMORY_LIMIT / 4;

/**
 * What every Store promises when built with shares (--memory-share): per
 * sender and per inbox. Run it against each backend, beside the contract:
 * `describeStoreShareContract('memory', factory)`.
 */
export function describeStoreShareContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    describe('with a share of a quarter of the budget', () => {
      const FLOODER = '198.51.100.7';
      const current = useContractStore(factory, SHARE);

      /** Adds 4,000-byte messages from `sender`, each to its own inbox, until one is refused; returns the ids stored and the refusal. */
      async function fillShare(sender: string): Promise<{ ids: string[]; refusal: unknown }> {
        const ids: string[] = [];
        for (let i = 0; i < 10; i++) {
          try {
            ids.push((await current.store.add(makeNewMessage([`fill${i}@x.test`], { size: 4_000, sender })))[0]!.id);
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
        expect(await current.store.shareOf(FLOODER)).toEqual({ held, share: SHARE });
        await current.settle();
        expect((await current.store.stats()).messages).toBe(ids.length);
        expect(current.eventsOf('evicted')).toEqual([]);

        expect(await current.store.add(makeNewMessage(['other@x.test'], { size: 4_000, sender: '192.0.2.50' }))).toHaveLength(1);
        await expect(current.store.add(makeNewMessage(['huge@x.test'], { size: SHARE + 1, sender: '192.0.2.51' }))).rejects.toThrow(OverShareError);
      });

      it('takes a sender\'s mail again once some of what it holds is gone', async () => {
        const { ids, refusal } = await fillShare(FLOODER);
        expect(refusal).toBeInstanceOf(OverShareError);
        expect(await current.store.delete('fill0@x.test', ids[0]!)).toBe(true);
        expect(await current.store.add(makeNewMessage(['again@x.test'], { size: 4_000, sender: FLOODER }))).toHaveLength(1);
      });

      it('evicts the oldest copies of an inbox over its share, and only from that inbox', async () => {
        const [other] = await current.store.add(makeNewMessage(['other@x.test'], { size: 5_000, sender: '192.0.2.9' }));
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          ids.push((await current.store.add(makeNewMessage(['big@x.test'], { size: 5_000, sender: `192.0.2.${10 + i}` })))[0]!.id);
          current.clock.advance(10);
        }
        await current.settle();
        const kept = (await current.store.list('big@x.test')).map((message) => message.id);
        expect(kept.length).toBeGreaterThan(0);
        expect(kept.length).toBeLessThan(ids.length);
        expect(kept).toEqual(ids.slice(ids.length - kept.length).reverse());
        expect(current.eventsOf('evicted')).toEqual(ids.slice(0, ids.length - kept.length).map((id) => ({ type: 'evicted', inbox: 'big@x.test', id })));
        expect(await current.store.list('other@x.test')).toEqual([other]);
      });

      it('counts each sender back to zero however its mail left: evicted from a full inbox, deleted, emptied or expired', async () => {
        const [a, b] = ['192.0.2.60', '2001:db8:1:2::/64'];
        // One blob for two inboxes, then two of b's take x over its share, which evicts a's copy there.
        await current.store.add(makeNewMessage(['x@x.test', 'y@x.test'], { size: 5_000, sender: a }));
        await current.store.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: b }));
        await current.store.add(makeNewMessage(['x@x.test'], { size: 5_000, sender: b }));
        const [deleted] = await current.store.add(makeNewMessage(['z@x.test'], { sender: a }));
        expect(await current.store.delete('z@x.test', deleted!.id)).toBe(true);
        expect(await current.store.deleteInbox('x@x.test')).toBe(2);
        current.clock.advance(TTL + 1);
        await current.settle();
        expect(current.eventsOf('evicted').map((event) => event.inbox)).toEqual(['x@x.test']);
        expect(current.eventsOf('expired').map((event) => event.inbox)).toEqual(['y@x.test']);
        expect(await current.store.shareOf(a)).toEqual({ held: 0, share: SHARE });
        expect(await current.store.shareOf(b)).toEqual({ held: 0, share: SHARE });
        expect(await current.store.stats()).toEqual({ messages: 0, bytes: 0 });
      });
    });
  });
}
