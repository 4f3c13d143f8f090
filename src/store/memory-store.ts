import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { notifyEach } from '../listeners.js';
import type { Envelope, MessageSummary, NewMessage, StoredMessage } from './message.js';
import { newSummaries } from './new-summaries.js';
import { recordOverhead } from './record-size.js';
import {
  StoreUnavailableError, type RemovalReason, type Store, type StoreEvent, type StoreListener,
} from './store.js';

/** Options of the in-memory store. */
export interface MemoryStoreOptions {
  ttlMs: number;
  /** Bytes of mail held at most; the oldest messages are evicted to stay under it. */
  memoryLimit: number;
  /** Messages per inbox at most; the oldest in that inbox is evicted first. */
  inboxLimit: number;
  clock: Clock;
  /** Told when a listener throws; the store carries on regardless. */
  onListenerError?: (error: unknown) => void;
}

interface MemoryRecord {
  summary: MessageSummary;
  envelope: Envelope;
  raw: Buffer;
  overhead: number;
}

// A timer longer than this is re-armed rather than trusted: setTimeout
// overflows past 24.8 days, and a shorter horizon bounds the effect of a bug.
const LONGEST_TIMER_MS = 3_600_000;

/**
 * The embedded store. lru-cache keeps records in arrival order with their
 * time to live; reads use `peek`, so reading never extends a life nor
 * reorders, and the least recently used record is always the oldest. Raw
 * bytes shared by several recipients are counted once.
 */
export function createMemoryStore(options: MemoryStoreOptions): Store {
  const { clock, inboxLimit, memoryLimit } = options;
  const listeners = new Set<StoreListener>();
  const inboxes = new Map<string, Set<string>>();
  const blobReferences = new Map<Buffer, number>();
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
      emit({ type, inbox: record.summary.inbox, id });
    },
  });

  function emit(event: StoreEvent): void {
    if (closed) return;
    notifyEach(listeners, event, options.onListenerError);
  }

  function remember(record: MemoryRecord): void {
    const { inbox, id } = record.summary;
    const ids = inboxes.get(inbox) ?? new Set<string>();
    inboxes.set(inbox, ids.add(id));
    const references = blobReferences.get(record.raw) ?? 0;
    blobReferences.set(record.raw, references + 1);
    bytes += record.overhead + (references === 0 ? record.raw.length : 0);
  }

  function forget(record: MemoryRecord): void {
    const { inbox, id } = record.summary;
    const ids = inboxes.get(inbox);
    ids?.delete(id);
    if (ids?.size === 0) inboxes.delete(inbox);
    const references = (blobReferences.get(record.raw) ?? 1) - 1;
    if (references === 0) blobReferences.delete(record.raw);
    else blobReferences.set(record.raw, references);
    bytes -= record.overhead + (references === 0 ? record.raw.length : 0);
  }

  function remove(id: string, reason: RemovalReason): void {
    removalReason = reason;
    try {
      cache.delete(id);
    } finally {
      removalReason = 'deleted';
    }
  }

  function makeRoomInInbox(inbox: string): void {
    const ids = inboxes.get(inbox);
    while (ids && ids.size >= inboxLimit) {
      const oldest = ids.values().next().value;
      if (oldest === undefined) break;
      remove(oldest, 'evicted');
    }
  }

  function enforceBudget(): void {
    while (bytes > memoryLimit && cache.size > 0) cache.pop();
  }

  function armExpiryTimer(): void {
    if (cancelExpiryTimer !== null || closed) return;
    const oldestId = cache.rkeys().next().value;
    const oldest = oldestId === undefined ? undefined : cache.peek(oldestId, { allowStale: true });
    if (oldest === undefined) return;
    // lru-cache calls a record stale only once its age exceeds the ttl, so the
    // timer aims one millisecond past expiresAt; at least 1 ms so it can never spin.
    const delay = Math.min(Math.max(1, oldest.summary.expiresAt + 1 - clock.now()), LONGEST_TIMER_MS);
    cancelExpiryTimer = clock.schedule(delay, () => {
      cancelExpiryTimer = null;
      cache.purgeStale();
      armExpiryTimer();
    });
  }

  function newRecords(message: NewMessage): MemoryRecord[] {
    return newSummaries(message, clock.now(), options.ttlMs).map((summary) => (
      { summary, envelope: message.envelope, raw: message.raw, overhead: recordOverhead(summary, message.envelope) }));
  }

  function live(id: string): MemoryRecord | undefined {
    return cache.peek(id);
  }

  function toStored(record: MemoryRecord): StoredMessage {
    return { summary: record.summary, envelope: record.envelope, raw: record.raw };
  }

  return {
    async add(message) {
      if (closed) throw new StoreUnavailableError('The store is shutting down.');
      const records = newRecords(message);
      const needed = message.raw.length + records.reduce((sum, record) => sum + record.overhead, 0);
      if (needed > memoryLimit) {
        throw new StoreUnavailableError('The message is larger than the memory this server keeps for mail.');
      }
      for (const record of records) {
        makeRoomInInbox(record.summary.inbox);
        cache.set(record.summary.id, record);
        remember(record);
      }
      enforceBudget();
      armExpiryTimer();
      for (const record of records) emit({ type: 'message', inbox: record.summary.inbox, message: record.summary });
      return records.map((record) => record.summary);
    },

    async list(inbox) {
      const ids = [...(inboxes.get(inbox) ?? [])].reverse();
      return ids.flatMap((id) => live(id)?.summary ?? []);
    },

    async get(inbox, id) {
      const record = live(id);
      return record?.summary.inbox === inbox ? toStored(record) : undefined;
    },

    async delete(inbox, id) {
      if (live(id)?.summary.inbox !== inbox) return false;
      remove(id, 'deleted');
      return true;
    },

    async deleteInbox(inbox) {
      let count = 0;
      for (const id of [...(inboxes.get(inbox) ?? [])]) {
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

    async close() {
      closed = true;
      cancelExpiryTimer?.();
      cancelExpiryTimer = null;
      listeners.clear();
      cache.clear();
    },
  };
}
