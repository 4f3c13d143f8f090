import type { MessageHead } from '../message.js';
import type { RestoredDelivery } from '../memory/persistence.js';
import { readCopy, readDelivery, type MailDb } from './mail-db.js';

/**
 * Reads back every delivery with a copy unexpired at `now`, oldest first,
 * and deletes the rest from disk before resolving: expired copies, and
 * records a crash between two batches may have left without their other
 * half. Throws DamagedRecordError for a record this version cannot read.
 */
export async function loadDeliveries(db: MailDb, now: number): Promise<RestoredDelivery[]> {
  const stale: Array<Promise<boolean>> = [];
  const live = new Map<string, MessageHead[]>();
  for (const { key, value } of db.copies.getRange()) {
    const { head, delivery } = readCopy(key, value);
    if (head.expiresAt <= now) stale.push(db.copies.remove(key));
    else if (live.has(delivery)) live.get(delivery)?.push(head);
    else live.set(delivery, [head]);
  }
  const restored: RestoredDelivery[] = [];
  for (const [key, heads] of live) {
    const value = db.deliveries.get(key);
    const raw = db.raws.getBinary(key);
    if (value === undefined || raw === undefined) {
      for (const head of heads) stale.push(db.copies.remove(head.id));
      continue;
    }
    restored.push({ key, ...readDelivery(key, value), raw, heads });
  }
  const kept = new Set(restored.map((delivery) => delivery.key));
  for (const records of [db.deliveries, db.raws]) {
    for (const key of records.getKeys()) if (!kept.has(key)) stale.push(records.remove(key));
  }
  await Promise.all(stale);
  await db.env.flushed;
  return restored.sort(byArrival);
}

// The system clock gives every delivery an instant of its own (milliseconds with a fraction),
// so this is the order they came in; the key only settles ties a manual clock makes.
function byArrival(a: RestoredDelivery, b: RestoredDelivery): number {
  const time = (a.heads[0]?.receivedAt ?? 0) - (b.heads[0]?.receivedAt ?? 0);
  return time !== 0 ? time : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
