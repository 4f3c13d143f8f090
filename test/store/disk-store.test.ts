import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDiskStore, type DiskStore, type DiskStoreOptions } from '../../src/store/disk/disk-store.js';
import { WRITE_INTERVAL_MS } from '../../src/store/disk/journal.js';
import { joinRaw } from '../../src/store/raw-bytes.js';
import { chunkOverhead } from '../../src/store/record-size.js';
import type { StoreEvent } from '../../src/store/store.js';
import { useTempFolders } from '../support/data-dir.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';
import type { StoreFactory } from './contract-store.js';
import { describeStoreShareContract } from './store-contract-shares.js';
import { describeStoreContract } from './store-contract.js';

const tempFolder = useTempFolders('disk-store');
const TTL = 60_000;
const START = Date.UTC(2026, 0, 1);

const withDataDir: StoreFactory = async (settings) => ({
  store: (await openDiskStore({ ...settings, path: join(tempFolder(), 'data'), resetIfUnusable: false, onWriteError: (error) => { throw error; } })).store,
});
describeStoreContract('memory with a data directory', withDataDir);
describeStoreShareContract('memory with a data directory', withDataDir);

/** Opens the store kept in `path` at the clock's time, with roomy limits unless overridden. */
// Every write of every test succeeds: a failed one would otherwise pass unseen, its changes merely kept for later.
const writeErrors: unknown[] = [];
afterEach(() => {
  expect(writeErrors.splice(0)).toEqual([]);
});

function openAt(path: string, clock: ManualClock, overrides: Partial<DiskStoreOptions> = {}): Promise<DiskStore> {
  return openDiskStore({
    ttlMs: TTL, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock, path, resetIfUnusable: false,
    onWriteError: (error) => writeErrors.push(error), ...overrides,
  });
}

/** Ids of an inbox, newest first, as listed. */
async function idsOf(opened: DiskStore, inbox: string): Promise<string[]> {
  return (await opened.store.list(inbox)).map((head) => head.id);
}

/** What the data directory holds: the copies it gives back when opened at `time` with room for everything. */
async function onDisk(path: string, time: number, inboxes: string[]): Promise<Record<string, string[]>> {
  const opened = await openAt(path, createManualClock(time), { ttlMs: 10 * TTL });
  const held = Object.fromEntries(await Promise.all(inboxes.map(async (inbox) => [inbox, await idsOf(opened, inbox)] as const)));
  await opened.store.close();
  return held;
}

describe('the memory store with a data directory, across a restart', () => {
  it('brings every unexpired copy back with its id, inbox, tag, times, envelope and bytes, and counts them as before', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock, { memoryShare: 512 * 1024 });
    const session = { clientIp: '2001:db8::25', helo: 'mta.sender.test', tls: true, startedAt: START - 1_500 };
    const shared = await first.store.add(makeNewMessage(['a@x.test', 'b@x.test'], { tags: ['news', null], session, size: 5_000 }));
    clock.advance(1_000);
    const chunks = [Buffer.alloc(4_000, 'a'), Buffer.alloc(3_000, 'b')];
    const [chunked] = await first.store.add({ ...makeNewMessage(['a@x.test'], { sender: '198.51.100.7' }), raw: chunks });
    const before = { list: await first.store.list('a@x.test'), stats: await first.store.stats(), share: await first.store.shareOf('198.51.100.7') };
    // The chunks come back as one Buffer, which holds less than they did.
    const joined = chunkOverhead(chunks);
    // Closed before a batch was due: the close writes what waits.
    await first.store.close();

    clock.advance(5_000);
    const second = await openAt(path, clock, { memoryShare: 512 * 1024 });
    expect(second.restored).toBe(3);
    expect(await second.store.list('a@x.test')).toEqual(before.list);
    expect(await second.store.list('b@x.test')).toEqual([shared[1]]);
    expect(await second.store.stats()).toEqual({ ...before.stats, bytes: before.stats.bytes - joined });
    expect(await second.store.shareOf('198.51.100.7')).toEqual({ share: 512 * 1024, held: before.share!.held - joined });
    for (const head of shared) {
      const stored = await second.store.get(head.inbox, head.id);
      expect(stored?.head).toEqual(head);
      expect(stored?.envelope).toEqual({ mailFrom: 'sender@example.com', rcptTo: ['a@x.test', 'b@x.test'], session });
      expect(stored?.raw.equals(joinRaw(makeNewMessage([], { size: 5_000 }).raw))).toBe(true);
    }
    const restoredChunked = await second.store.get('a@x.test', chunked!.id);
    expect(restoredChunked?.envelope).toEqual({ mailFrom: 'sender@example.com', rcptTo: ['a@x.test'] });
    expect(restoredChunked?.raw.equals(Buffer.concat(chunks))).toBe(true);
    await second.store.close();
  });

  it('writes each change within the write interval, without a close', async () => {
    const clock = createManualClock(START);
    const opened = await openAt(join(tempFolder(), 'data'), clock);
    await opened.store.add(makeNewMessage(['a@x.test', 'b@x.test']));
    // One delivery and its two copies wait for the batch.
    expect(opened.unwritten()).toBe(3);
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => opened.unwritten()).toBe(0);
    await opened.store.close();
  });

  it('never brings back an expired copy, and deletes it from disk on the way', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    await first.store.add(makeNewMessage(['a@x.test']));
    clock.advance(TTL / 2);
    const [late] = await first.store.add(makeNewMessage(['a@x.test']));
    await first.store.close();

    const second = await openAt(path, createManualClock(START + TTL + 1));
    expect(await idsOf(second, 'a@x.test')).toEqual([late!.id]);
    await second.store.close();
    // Opened as if it were still the start: what was deleted stays away, so it left the disk.
    expect(await onDisk(path, START, ['a@x.test'])).toEqual({ 'a@x.test': [late!.id] });
  });

  it('deletes from disk every copy removed: deleted, inbox emptied, expired and evicted', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const opened = await openAt(path, clock, { inboxLimit: 2 });
    await opened.store.add(makeNewMessage(['expiring@x.test']));
    clock.advance(TTL / 2);
    const [deleted, kept] = await opened.store.add(makeNewMessage(['deleted@x.test', 'kept@x.test']));
    await opened.store.add(makeNewMessage(['emptied@x.test']));
    const [evicted] = await opened.store.add(makeNewMessage(['full@x.test']));
    const full: string[] = [];
    for (let i = 0; i < 2; i++) {
      clock.advance(1);
      full.push((await opened.store.add(makeNewMessage(['full@x.test'])))[0]!.id);
    }
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => opened.unwritten()).toBe(0);

    expect(await opened.store.delete('deleted@x.test', deleted!.id)).toBe(true);
    expect(await opened.store.deleteInbox('emptied@x.test')).toBe(1);
    clock.advance(TTL / 2 + 1);
    expect(await idsOf(opened, 'expiring@x.test')).toEqual([]);
    expect(await idsOf(opened, 'full@x.test')).not.toContain(evicted!.id);
    await opened.store.close();

    expect(await onDisk(path, START, ['expiring@x.test', 'deleted@x.test', 'kept@x.test', 'emptied@x.test', 'full@x.test'])).toEqual({
      'expiring@x.test': [], 'deleted@x.test': [], 'kept@x.test': [kept!.id], 'emptied@x.test': [], 'full@x.test': full.reverse(),
    });
  });

  it('holds the inbox cap after a restart: the oldest beyond it are evicted, and the disk learns it', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await first.store.add(makeNewMessage(['a@x.test'])))[0]!.id);
      clock.advance(10);
    }
    await first.store.close();

    const second = await openAt(path, clock, { inboxLimit: 2 });
    expect(await idsOf(second, 'a@x.test')).toEqual([ids[4], ids[3]]);
    await second.store.close();
    expect(await onDisk(path, clock.now(), ['a@x.test'])).toEqual({ 'a@x.test': [ids[4], ids[3]] });
  });

  it('holds --memory-limit and --memory-share after a restart, evicting the oldest of whoever holds the most', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    const [other] = await first.store.add(makeNewMessage(['other@x.test'], { size: 8_000, sender: '192.0.2.50' }));
    const flood: string[] = [];
    for (let i = 0; i < 8; i++) {
      clock.advance(10);
      flood.push((await first.store.add(makeNewMessage([`flood${i}@x.test`], { size: 8_000, sender: '198.51.100.7' })))[0]!.id);
    }
    await first.store.close();

    const limited = await openAt(path, clock, { memoryLimit: 48 * 1024, memoryShare: 24 * 1024 });
    const { bytes, messages } = await limited.store.stats();
    expect(bytes).toBeLessThanOrEqual(48 * 1024);
    expect((await limited.store.shareOf('198.51.100.7'))?.held).toBeLessThanOrEqual(24 * 1024);
    const kept = (await Promise.all(flood.map(async (id, i) => (await limited.store.get(`flood${i}@x.test`, id)) === undefined ? [] : [id]))).flat();
    expect(kept.length).toBe(messages - 1);
    expect(kept).toEqual(flood.slice(flood.length - kept.length));
    expect(await limited.store.get('other@x.test', other!.id)).toBeDefined();
    await limited.store.close();

    const reopened = await openAt(path, clock);
    expect((await reopened.store.stats()).messages).toBe(messages);
    await reopened.store.close();
  });

  it('drops a delivery larger than a lowered --memory-limit, as intake would refuse it, and deletes it from disk', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    await first.store.add(makeNewMessage(['big@x.test', 'copy@x.test'], { size: 20_000 }));
    const [small] = await first.store.add(makeNewMessage(['small@x.test']));
    await first.store.close();

    const limited = await openAt(path, clock, { memoryLimit: 16 * 1024 });
    expect((await limited.store.stats()).messages).toBe(1);
    await limited.store.close();
    expect(await onDisk(path, clock.now(), ['big@x.test', 'copy@x.test', 'small@x.test'])).toEqual({ 'big@x.test': [], 'copy@x.test': [], 'small@x.test': [small!.id] });
  });

  it('expires restored copies at their own time, with an expired event', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    const [message] = await first.store.add(makeNewMessage(['a@x.test']));
    await first.store.close();

    clock.advance(TTL / 2);
    const second = await openAt(path, clock);
    const events: StoreEvent[] = [];
    second.store.subscribe((event) => events.push(event));
    expect((await second.store.list('a@x.test'))[0]?.expiresAt).toBe(message!.expiresAt);
    clock.advance(TTL / 2 + 1);
    expect(events).toEqual([{ type: 'expired', inbox: 'a@x.test', id: message!.id }]);
    await second.store.close();
  });

  it('expires restored copies --ttl after the restart at the latest, when --ttl was shortened', async () => {
    const path = join(tempFolder(), 'data');
    const clock = createManualClock(START);
    const first = await openAt(path, clock);
    const [message] = await first.store.add(makeNewMessage(['a@x.test']));
    await first.store.close();

    clock.advance(1_000);
    const second = await openAt(path, clock, { ttlMs: TTL / 4 });
    const shortened = { ...message, expiresAt: START + 1_000 + TTL / 4 };
    expect(await second.store.list('a@x.test')).toEqual([shortened]);
    await second.store.close();

    // The shorter life is written back: a start with the old --ttl again does not lengthen it.
    const third = await openAt(path, clock);
    expect(await third.store.list('a@x.test')).toEqual([shortened]);
    await third.store.close();
  });
});
