import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJournal, WRITE_INTERVAL_MS } from '../../src/store/disk/journal.js';
import { loadDeliveries } from '../../src/store/disk/load.js';
import { openMailDb, type MailDb } from '../../src/store/disk/mail-db.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { useTempFolders } from '../support/data-dir.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { makeNewMessage } from '../support/messages.js';

const tempFolder = useTempFolders('journal');
const TTL = 60_000;

/** A real LMDB whose copies table refuses every write while `disk.full`, as a full disk would. */
function fillableDb(path: string): { db: MailDb; disk: { full: boolean } } {
  const db = openMailDb(path);
  const disk = { full: false };
  const { copies } = db;
  const refuse = <T>(write: () => Promise<T>): Promise<T> => (disk.full ? Promise.reject(new Error('ENOSPC: no space left on device')) : write());
  const put = copies.put.bind(copies);
  const remove = copies.remove.bind(copies);
  copies.put = ((...args: Parameters<typeof put>) => refuse(() => put(...args))) as typeof copies.put;
  copies.remove = ((...args: Parameters<typeof remove>) => refuse(() => remove(...args))) as typeof copies.remove;
  return { db, disk };
}

/** A memory store journaled into `db`, with the errors its journal reported. */
function storeOn(db: MailDb, clock: ManualClock) {
  const errors: unknown[] = [];
  const journal = createJournal({ db, clock, onWriteError: (error) => errors.push(error) });
  const store = createMemoryStore({ ttlMs: TTL, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 50, clock, journal });
  return { store, journal, errors };
}

/** The ids the data directory at `path` would give back now. */
async function idsOnDisk(path: string, now: number): Promise<string[]> {
  const db = openMailDb(path);
  const restored = await loadDeliveries(db, now);
  await db.env.close();
  return restored.flatMap((delivery) => delivery.heads.map((head) => head.id));
}

describe('the journal of a data directory, when a write fails', () => {
  it('keeps the batch, counts it as unwritten, and writes it with the next one', async () => {
    const path = join(tempFolder(), 'mail.mdb');
    const clock = createManualClock();
    const { db, disk } = fillableDb(path);
    const { store, journal, errors } = storeOn(db, clock);
    const [head] = await store.add(makeNewMessage(['a@x.test']));

    disk.full = true;
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => errors.length).toBe(1);
    // The copy and its delivery: still what a crash now would lose.
    expect(journal.unwritten()).toBe(2);

    disk.full = false;
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => journal.unwritten()).toBe(0);
    expect(errors).toHaveLength(1);
    await store.close();
    await journal.close();
    expect(await idsOnDisk(path, clock.now())).toEqual([head!.id]);
  });

  it('keeps a failed deletion too, so deleted mail does not come back after a restart', async () => {
    const path = join(tempFolder(), 'mail.mdb');
    const clock = createManualClock();
    const { db, disk } = fillableDb(path);
    const { store, journal, errors } = storeOn(db, clock);
    const [head] = await store.add(makeNewMessage(['a@x.test']));
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => journal.unwritten()).toBe(0);

    disk.full = true;
    expect(await store.delete('a@x.test', head!.id)).toBe(true);
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => errors.length).toBe(1);
    expect(journal.unwritten()).toBeGreaterThan(0);

    // Room again: the deletion goes out with the next batch, beside a newer message.
    disk.full = false;
    const [newer] = await store.add(makeNewMessage(['b@x.test']));
    clock.advance(WRITE_INTERVAL_MS);
    await expect.poll(() => journal.unwritten()).toBe(0);
    await store.close();
    await journal.close();
    expect(await idsOnDisk(path, clock.now())).toEqual([newer!.id]);
  });
});
