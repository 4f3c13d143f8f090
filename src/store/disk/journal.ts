import type { Clock } from '../../runtime/clock.js';
import type { MessageHead } from '../message.js';
import { joinRaw } from '../raw-bytes.js';
import type { Delivery } from '../memory/delivery.js';
import type { CopyJournal } from '../memory/persistence.js';
import { copyValue, type MailDb } from './mail-db.js';

/**
 * How long a change waits before it is written: the most a crash of the
 * process loses (plus the write in flight), and what makes a copy stored and
 * removed within it cost no write at all.
 */
export const WRITE_INTERVAL_MS = 250;

/** The journal of a memory store: what it is told, written to the data directory in batches. */
export interface Journal extends CopyJournal {
  /** Changes told but not yet on disk: waiting for the next batch, or in a batch not yet synced. */
  unwritten(): number;
  /** Writes every change told so far, waits until it is synced, then closes the database. */
  close(): Promise<void>;
}

export interface JournalOptions {
  db: MailDb;
  clock: Clock;
  /** Told when a batch could not be written; its mail stays in memory, and later batches are still tried. */
  onWriteError: (error: unknown) => void;
}

/** A change waiting: the copy or delivery to write, or null to delete it. */
interface Changes {
  copies: Map<string, { head: MessageHead; delivery: Delivery } | null>;
  deliveries: Map<string, Delivery | null>;
}

function noChanges(): Changes {
  return { copies: new Map(), deliveries: new Map() };
}

/**
 * Keeps the data directory in step with the memory store, off the intake
 * path: being told of a copy only notes it; every WRITE_INTERVAL_MS the
 * changes noted go to LMDB in one batch, which LMDB commits and syncs
 * (fsync) on a thread of its own. A copy removed before its batch leaves is
 * never written. One batch is written at a time: changes noted meanwhile
 * gather into the next, so a slow disk makes batches larger, not more
 * numerous. A batch that fails goes back to be written with the next.
 */
export function createJournal({ db, clock, onWriteError }: JournalOptions): Journal {
  let waiting = noChanges();
  let inFlight = 0;
  let writing: Promise<void> = Promise.resolve();
  let cancelTimer: (() => void) | null = null;
  let closed: Promise<void> | null = null;

  function noted(): void {
    cancelTimer ??= clock.schedule(WRITE_INTERVAL_MS, () => {
      cancelTimer = null;
      void flush();
    });
  }

  /** Writes every change told so far; resolves once it, and every batch before it, is synced. */
  function flush(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    writing = writing.then(writeWaiting);
    return writing;
  }

  async function writeWaiting(): Promise<void> {
    const batch = waiting;
    inFlight = batch.copies.size + batch.deliveries.size;
    if (inFlight === 0) return;
    waiting = noChanges();
    try {
      await write(db, batch);
    } catch (error) {
      onWriteError(error);
      keepForNextBatch(batch);
    } finally {
      inFlight = 0;
    }
  }

  /** Puts a failed batch's changes back, under any change noted since, which is newer. */
  function keepForNextBatch(batch: Changes): void {
    for (const [id, copy] of batch.copies) if (!waiting.copies.has(id)) waiting.copies.set(id, copy);
    for (const [key, delivery] of batch.deliveries) if (!waiting.deliveries.has(key)) waiting.deliveries.set(key, delivery);
    if (!closed) noted();
  }

  return {
    stored(head, delivery, firstCopy) {
      if (firstCopy) waiting.deliveries.set(delivery.key, delivery);
      waiting.copies.set(head.id, { head, delivery });
      noted();
    },
    removed(head, delivery, lastCopy) {
      // A change still waiting is simply dropped; one already written is deleted.
      if (waiting.copies.get(head.id) === undefined) waiting.copies.set(head.id, null);
      else waiting.copies.delete(head.id);
      if (lastCopy) {
        if (waiting.deliveries.get(delivery.key) === undefined) waiting.deliveries.set(delivery.key, null);
        else waiting.deliveries.delete(delivery.key);
      }
      noted();
    },
    unwritten: () => waiting.copies.size + waiting.deliveries.size + inFlight,
    close() {
      closed ??= flush().then(() => db.env.close());
      return closed;
    },
  };
}

/** Issues every change of `batch`; resolves once LMDB has committed and synced them. */
async function write(db: MailDb, batch: Changes): Promise<void> {
  const puts: Array<Promise<boolean>> = [];
  for (const [key, delivery] of batch.deliveries) {
    if (delivery === null) {
      puts.push(db.deliveries.remove(key), db.raws.remove(key));
    } else {
      // The bytes in one piece (LMDB takes one Buffer), joined for this write only: the store keeps its chunks.
      puts.push(db.deliveries.put(key, { envelope: delivery.envelope, sender: delivery.sender }), db.raws.put(key, joinRaw(delivery.raw)));
    }
  }
  for (const [id, copy] of batch.copies) {
    puts.push(copy === null ? db.copies.remove(id) : db.copies.put(id, copyValue(copy.head, copy.delivery.key)));
  }
  await Promise.all(puts);
  await db.env.flushed;
}
