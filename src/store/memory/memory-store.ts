import { LRUCache } from 'lru-cache';
import type { Clock } from '../../runtime/clock.js';
import { notifyEach } from '../../runtime/listeners.js';
import { newDelivery, rawOf, type Delivery } from './delivery.js';
import { createHoldings } from './holdings.js';
import type { MessageHead, NewMessage } from '../message.js';
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
  const { clock, inboxLimit, memoryLimit, memoryShare } = options;
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

  function remember(record: MemoryRecord): void {
    const { head, delivery } = record;
    const counted = record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
    inboxes.add(head.inbox, head.id, inboxBytes(record));
    senders.add(delivery.sender, head.id, counted);
    bytes += counted;
    delivery.storedCopies++;
  }

  function forget(record: MemoryRecord): void {
    const { head, delivery } = record;
    delivery.storedCopies--;
    const counted = record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
    inboxes.remove(head.inbox, head.id, inboxBytes(record));
    senders.remove(delivery.sender, head.id, counted);
    bytes -= counted;
  }

  function remove(id: string, reason: RemovalReason): void {
    removalReason = reason;
    try {
      cache.delete(id);
    } finally {
      removalReason = 'deleted';
    }
  }

  /** Evicts the inbox's oldest copies while it is at its count limit, or `incoming` would take it over its share. */
  function makeRoomInInbox(inbox: string, incoming: number): void {
    for (let held = inboxes.get(inbox); held !== undefined; held = inboxes.get(inbox)) {
      const overShare = memoryShare !== null && held.bytes + incoming > memoryShare;
      if (held.ids.size < inboxLimit && !overShare) return;
      const oldest = held.ids.values().next().value;
      if (oldest === undefined) return;
      remove(oldest, 'evicted');
    }
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

  function newRecords(message: NewMessage, delivery: Delivery): MemoryRecord[] {
    return newHeads(message, clock.now()).map((head) => ({ head, delivery, overhead: recordOverhead(head, delivery.envelope) }));
  }

  function live(id: string): MemoryRecord | undefined {
    return cache.peek(id);
  }

  return {
    async add(message) {
      if (closed) throw new StoreUnavailableError('The store is shutting down.');
      const delivery = newDelivery(message);
      const records = newRecords(message, delivery);
      let needed = delivery.counted;
      for (const record of records) needed += record.overhead;
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
