import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { createManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';
import type { StoreFactory } from './contract-store.js';
import { describeStoreShareContract } from './store-contract-shares.js';
import { describeStoreContract } from './store-contract.js';

const memoryStore: StoreFactory = async (settings) => ({
  store: createMemoryStore({ ...settings, onListenerError: () => {} }),
});
describeStoreContract('memory', memoryStore);
describeStoreShareContract('memory', memoryStore);

describe('memory store: a message kept in chunks', () => {
  it('joins the chunks only when the bytes are first read, and counts the objects of each chunk', async () => {
    const store = createMemoryStore({ ttlMs: 60_000, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock: createManualClock() });
    const chunks = [Buffer.alloc(4_000, 'a'), Buffer.alloc(3_000, 'b'), Buffer.alloc(3_000, 'c')];
    const [head] = await store.add({ ...makeNewMessage(['a@x.test']), raw: chunks });
    const { bytes: inChunks } = await store.stats();
    await store.add({ ...makeNewMessage(['b@x.test']), raw: Buffer.concat(chunks) });
    const inOne = (await store.stats()).bytes - inChunks;
    // Each chunk beyond the first is a Buffer and an allocation of its own.
    expect(inChunks - inOne).toBeGreaterThanOrEqual(2 * 256);
    const stored = await store.get('a@x.test', head!.id);
    expect(stored?.raw.equals(Buffer.concat(chunks))).toBe(true);
    expect((await store.get('a@x.test', head!.id))?.raw).toBe(stored?.raw);
  });
});
