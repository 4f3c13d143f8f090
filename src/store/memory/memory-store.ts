import { LRUCache } from 'lru-cache';
import type { Clock } from '../../runtime/clock.js';
import { notifyEach } from '../../runtime/listeners.js';
import { newDelivery, rawOf, type Delivery } from './delivery.js';
import { createHoldings, type Holding, type Holdings } from './holdings.js';
import type { CopyJournal, RestoredDelivery } from './persistence.js';
import type { MessageHead } from '../message.js';
import { createHeadMaker } from '../new-heads.js';
import { recordOverhead } from '../record-size.js';
import {
  OverShareError, StoreUnavailableError, type RemovalReason, type Store, type StoreEvent, type StoreListener,
} from '../store.js';

/** Options of the in-memory store. */
export interface MemoryStoreOptions {
  ttlMs: number;
  /** Bytes of mail held at most; the oldest messages of the largest sender are evicted to stay under it. */
  memoryLimit: number;
  /** Bytes one sender, and one inbox, may hold at most; null when only memoryLimit applies. */
  memoryShare: number | null;
  /** Messages per inbox at most; the oldest in that inbox is evicted first. */
  inboxLimit: number;
  clock: Clock;
  /** Told when a listener throws; the store carries on regardless. */
  onListenerError?: (error: unknown) => void;
  /** Told of every copy stored and removed, in order: what keeps a data directory in step (src/store/disk/). */
  journal?: CopyJournal;
  /**
   * Deliveries kept before a restart, oldest first, taken in before anything
   * else under the limits new mail meets: what does not fit is evicted, oldest
   * first, and the journal told. They announce nothing, as nobody listens yet.
   */
  restored?: Iterable<RestoredDelivery>;
}

interface MemoryRecord {
  head: MessageHead;
  delivery: Delivery;
  overhead: number;
}

/** What a record counts against its inbox's share: the whole raw message, whoever else shares it. */
function inboxBytes(record: MemoryRecord): number {
  return record.overhead + record.delivery.counted;
}

// A timer longer than this is re-armed rather than trusted: setTimeout
// overflows past 24.8 days, and a shorter horizon bounds the effect of a bug.
const LONGEST_TIMER_MS = 3_600_000;

/**
 * The embedded store. lru-cache keeps records in arrival order with their
 * time to live; reads use `peek`, so reading never extends a life nor
 * reorders, and the least recently used record is always the oldest. Raw
 * bytes shared by several recipients are counted once, against the budget
 * and against their sender.
 */
export function createMemoryStore(options: MemoryStoreOptions): Store {
  const { clock, inboxLimit, memoryLimit, memoryShare, journal } = options;
  const newHeads = createHeadMaker(options.ttlMs);
  const listeners = new Set<StoreListener>();
  const inboxes = createHoldings();
  const senders = createHoldings();
  let bytes = 0;
  let removalReason: RemovalReason = 'deleted';
  let cancelExpiryTimer: (() => void) | null = null;
  let closed = false;

  const cache = new LRUCache<string, MemoryRecord>({
    ttl: options.ttlMs,
    ttlResolution: 0,
    perf: { now: () => clock.now() },
    // The store does its own byte accounting; this bound only has to be looser.
    maxSize: Number.MAX_SAFE_INTEGER,
    sizeCalculation: (record) => record.overhead,
    dispose: (record, id, reason) => {
      forget(record);
      const type: RemovalReason = reason === 'expire' ? 'expired' : reason === 'evict' ? 'evicted' : removalReason;
      emit({ type, inbox: record.head.inbox, id });
    },
  });

  function emit(event: StoreEvent): void {
    if (closed) return;
    notifyEach(listeners, event, options.onListenerError);
  }

  /** Counts a record just set in the cache; `journaled` when the journal has it already (a copy restored as it was kept). */
  function remember(record: MemoryRecord, journaled = false): void {
    const { head, delivery } = record;
    const counted = record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
    inboxes.add(head.inbox, head.id, inboxBytes(record));
    senders.add(delivery.sender, head.id, counted);
    bytes += counted;
    delivery.storedCopies++;
    if (!journaled) journal?.stored(head, delivery, delivery.storedCopies === 1);
  }

  function forget(record: MemoryRecord): void {
    const { head, delivery } = record;
    delivery.storedCopies--;
    const counted = record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
    inboxes.remove(head.inbox, head.id, inboxBytes(record));
    senders.remove(delivery.sender, head.id, counted);
    bytes -= counted;
    // Closing empties the cache, which removes nothing from the data directory.
    if (!closed) journal?.removed(head, delivery, delivery.storedCopies === 0);
  }

  function remove(id: string, reason: RemovalReason): void {
    removalReason = reason;
    try {
      cache.delete(id);
    } finally {
      removalReason = 'deleted';
    }
  }

  /** Evicts the oldest copies `key` holds while `full` says they leave no room. */
  function evictOldestWhile(holdings: Holdings, key: string, full: (held: Holding) => boolean): void {
    for (let held = holdings.get(key); held !== undefined && full(held); held = holdings.get(key)) {
      const oldest = held.ids.values().next().value;
      if (oldest === undefined) return;
      remove(oldest, 'evicted');
    }
  }

  /** Evicts the inbox's oldest copies while it is at its count limit, or `incoming` would take it over its share. */
  function makeRoomInInbox(inbox: string, incoming: number): void {
    evictOldestWhile(inboxes, inbox, (held) => held.ids.size >= inboxLimit || (memoryShare !== null && held.bytes + incoming > memoryShare));
  }

  // The oldest copy of whoever holds the most goes first, so a flood evicts its own mail before anyone else's.
  function enforceBudget(): void {
    while (bytes > memoryLimit) {
      const oldest = senders.largest()?.ids.values().next().value;
      if (oldest === undefined) return;
      remove(oldest, 'evicted');
    }
  }

  function armExpiryTimer(): void {
    if (cancelExpiryTimer !== null || closed) return;
    const oldestId = cache.rkeys().next().value;
    const oldest = oldestId === undefined ? undefined : cache.peek(oldestId, { allowStale: true });
    if (oldest === undefined) return;
    // lru-cache calls a record stale only once its age exceeds the ttl, so the
    // timer aims one millisecond past expiresAt; at least 1 ms so it can never spin.
    const delay = Math.min(Math.max(1, oldest.head.expiresAt + 1 - clock.now()), LONGEST_TIMER_MS);
    cancelExpiryTimer = clock.schedule(delay, () => {
      cancelExpiryTimer = null;
      cache.purgeStale();
      armExpiryTimer();
    });
  }

  function newRecords(heads: MessageHead[], delivery: Delivery): MemoryRecord[] {
    return heads.map((head) => ({ head, delivery, overhead: recordOverhead(head, delivery.envelope) }));
  }

  function bytesNeeded(records: MemoryRecord[]): number {
    let needed = records[0]?.delivery.counted ?? 0;
    for (const record of records) needed += record.overhead;
    return needed;
  }

  /**
   * Takes a delivery kept before a restart back with its ids and times, under
   * the rules new mail meets, except that a sender over its share makes room
   * by evicting its oldest mail rather than being refused: the newest is what
   * people come back for. Its copies expire when they would have, or --ttl
   * after now if --ttl was shortened, so expiry stays in arrival order.
   */
  function restore({ key, envelope, sender, raw, heads }: RestoredDelivery): void {
    const delivery = newDelivery({ envelope, sender, raw }, key);
    const latest = clock.now() + options.ttlMs;
    const records = newRecords(heads.map((head) => ({ ...head, expiresAt: Math.min(head.expiresAt, latest) })), delivery);
    // A copy whose life a shorter --ttl cut is written again, so a later restart does not lengthen it back.
    const kept = new Set(heads.filter((head) => head.expiresAt <= latest).map((head) => head.id));
    const needed = bytesNeeded(records);
    if (needed > memoryLimit || (memoryShare !== null && needed > memoryShare)) {
      records.forEach(({ head }, at) => journal?.removed(head, delivery, at === records.length - 1));
      return;
    }
    if (memoryShare !== null) evictOldestWhile(senders, sender, (held) => held.bytes + needed > memoryShare);
    for (const record of records) {
      const { head } = record;
      makeRoomInInbox(head.inbox, inboxBytes(record));
      // Its life counts from when it arrived; at least a millisecond, since a ttl of 0 would mean forever.
      cache.set(head.id, record, { start: head.receivedAt, ttl: Math.max(1, head.expiresAt - head.receivedAt) });
      remember(record, kept.has(head.id));
    }
    enforceBudget();
  }

  function live(id: string): MemoryRecord | undefined {
    return cache.peek(id);
  }

  for (const delivery of options.restored ?? []) restore(delivery);
  armExpiryTimer();

  return {
    async add(message) {
      if (closed) throw new StoreUnavailableError('The store is shutting down.');
      const heads = newHeads(message, clock.now());
      const delivery = newDelivery(message, heads[0]?.id ?? '');
      const records = newRecords(heads, delivery);
      const needed = bytesNeeded(records);
      if (needed > memoryLimit) {
        throw new StoreUnavailableError('The message is larger than the memory this server keeps for mail.');
      }
      const held = senders.get(message.sender)?.bytes ?? 0;
      if (memoryShare !== null && held + needed > memoryShare) throw new OverShareError({ held, share: memoryShare });
      for (const record of records) {
        makeRoomInInbox(record.head.inbox, inboxBytes(record));
        cache.set(record.head.id, record);
        remember(record);
      }
      enforceBudget();
      armExpiryTimer();
      for (const { head } of records) {
        // Making room for a later recipient may already have evicted an earlier copy.
        if (live(head.id) !== undefined) emit({ type: 'message', inbox: head.inbox, message: head });
      }
      return records.map((record) => record.head);
    },

    async list(inbox) {
      return [...(inboxes.get(inbox)?.ids ?? [])].reverse().flatMap((id) => live(id)?.head ?? []);
    },

    async get(inbox, id) {
      const record = live(id);
      if (record?.head.inbox !== inbox) return undefined;
      return { head: record.head, envelope: record.delivery.envelope, raw: rawOf(record.delivery) };
    },

    async delete(inbox, id) {
      if (live(id)?.head.inbox !== inbox) return false;
      remove(id, 'deleted');
      return true;
    },

    async deleteInbox(inbox) {
      let count = 0;
      for (const id of [...(inboxes.get(inbox)?.ids ?? [])]) {
        // A record past its time that the expiry timer has not reached yet still leaves as expired.
        const isLive = live(id) !== undefined;
        remove(id, isLive ? 'deleted' : 'expired');
        if (isLive) count++;
      }
      return count;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async stats() {
      return { messages: cache.size, bytes };
    },

    async shareOf(sender) {
      return memoryShare === null ? null : { held: senders.get(sender)?.bytes ?? 0, share: memoryShare };
    },

    async close() {
      closed = true;
      cancelExpiryTimer?.();
      cancelExpiryTimer = null;
      listeners.clear();
      cache.clear();
    },
  };
}
