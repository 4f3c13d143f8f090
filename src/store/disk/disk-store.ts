import { join } from 'node:path';
import { createMemoryStore, type MemoryStoreOptions } from '../memory/memory-store.js';
import type { RestoredDelivery } from '../memory/persistence.js';
import type { Store } from '../store.js';
import { beginReading, codeOf, DataDirError, dataDirError, endReading, makePrivate, moveAside, prepareDataDir } from './data-dir.js';
import { createJournal } from './journal.js';
import { lmdbHeaderProblem } from './lmdb-header.js';
import { loadDeliveries } from './load.js';
import { MAIL_DB_FILE, openMailDb, type MailDb } from './mail-db.js';

export { DataDirError } from './data-dir.js';

/** Options of the memory store kept in a data directory. */
export interface DiskStoreOptions extends Omit<MemoryStoreOptions, 'journal' | 'restored'> {
  /** The data directory; made if missing. */
  path: string;
  /** When the directory cannot be used but could be replaced, move it aside and start empty instead of failing. */
  resetIfUnusable: boolean;
  /** Told when the directory was moved aside (`resetIfUnusable`), and why. */
  onMovedAside?: (reason: DataDirError, movedTo: string) => void;
  /** Told when a batch could not be written; the mail stays in memory. */
  onWriteError: (error: unknown) => void;
}

/** The store, and what operations may want to know of its data directory. */
export interface DiskStore {
  store: Store;
  /** Copies taken back at start-up and kept (within the limits). */
  restored: number;
  /** Changes not yet synced to disk: what a crash now would lose. */
  unwritten(): number;
}

/**
 * The memory store, kept in step with a data directory so a restart keeps
 * its mail: reads never go to disk; every copy stored or removed is written
 * within about WRITE_INTERVAL_MS (src/store/disk/journal.ts); closing writes
 * everything. At start every unexpired copy comes back with its id, inbox,
 * tag, times and envelope. A directory that cannot be used fails the start
 * with a DataDirError, one sentence naming it.
 */
export async function openDiskStore(options: DiskStoreOptions): Promise<DiskStore> {
  const { path, resetIfUnusable, onMovedAside, onWriteError, ...memoryOptions } = options;
  const { clock } = memoryOptions;
  let opened: Opened;
  try {
    opened = await openDataDir(path, clock.now());
  } catch (error) {
    if (!(error instanceof DataDirError && error.resettable && resetIfUnusable)) throw error;
    onMovedAside?.(error, movedAside(path, clock.now(), error));
    opened = await openDataDir(path, clock.now());
  }
  const journal = createJournal({ db: opened.db, clock, onWriteError });
  const memory = createMemoryStore({ ...memoryOptions, journal, restored: opened.restored });
  return {
    store: {
      ...memory,
      async close() {
        await memory.close();
        await journal.close();
      },
    },
    restored: (await memory.stats()).messages,
    unwritten: () => journal.unwritten(),
  };
}

interface Opened {
  db: MailDb;
  restored: RestoredDelivery[];
}

/** Prepares the directory, opens its database and reads back what it holds. */
async function openDataDir(path: string, now: number): Promise<Opened> {
  prepareDataDir(path);
  beginReading(path);
  try {
    return await readDataDir(path, now);
  } finally {
    endReading(path);
  }
}

async function readDataDir(path: string, now: number): Promise<Opened> {
  const file = join(path, MAIL_DB_FILE);
  const problem = lmdbHeaderProblem(file);
  if (problem !== null) throw dataDirError(path, `is damaged: its ${MAIL_DB_FILE} ${problem}`, true);
  let db: MailDb;
  try {
    db = openMailDb(file);
    for (const created of [file, `${file}-lock`]) makePrivate(created);
  } catch (error) {
    throw dataDirError(path, `has a ${MAIL_DB_FILE} that cannot be opened (${reasonOf(error)})`, true);
  }
  try {
    return { db, restored: await loadDeliveries(db, now) };
  } catch (error) {
    await db.env.close().catch(() => {});
    throw dataDirError(path, `is damaged: its ${MAIL_DB_FILE} cannot be read (${reasonOf(error)})`, true);
  }
}

function movedAside(path: string, now: number, reason: DataDirError): string {
  try {
    return moveAside(path, now);
  } catch (error) {
    throw new DataDirError(`${reason.message}, and it could not be moved aside (${codeOf(error)})`, false);
  }
}

// LMDB's messages name the problem ("MDB_INVALID: File is not an LMDB file"); system errors have a code.
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 200) ?? codeOf(error);
}
