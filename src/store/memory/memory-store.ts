import { LRUCache } from 'lru-cache';
import type { Clock } from '../../runtime/clock.js';
import { notifyEach } from '../../runtime/listeners.js';
import { digestOf, newDelivery, rawOf, type Delivery } from './delivery.js';
import type { MessageDigest, MessageHead, MessageSummary, NewMessage } from '../message.js';
import { createHeadMaker, summaryOf } from '../new-heads.js';
import { recordOverhead } from '../record-size.js';
import {
  StoreUnavailableError, type RemovalReason, type Store, type StoreEvent, type StoreListener,
} from '../store.js';

/** Options of the in-memory store. */
export interface MemoryStoreOptions {
  ttlMs: number;
  /** Bytes of mail held at most; the oldest messages are evicted to stay under it. */
  memoryLimit: number;
  /** Messages per inbox at most; the oldest in that inbox is evicted first. */
  inboxLimit: number;
  clock: Clock;
  /**
   * Whether anyone listens to an inbox now. A new message there has its
   * digest read at once and is announced; elsewhere the digest is read when
   * the message is first read, and no `message` event is sent. Defaults to
   * every inbox.
   */
  isWatched?: (inbox: string) => boolean;
  /** Told when a listener throws; the store carries on regardless. */
  onListenerError?: (error: unknown) => void;
  /** Told when a new message's digest could not be read to announce it; readers will try again. */
  onError?: (error: unknown) => void;
}

interface MemoryRecord {
  head: MessageHead;
  /** Null until the digest has been read. */
  summary: MessageSummary | null;
  delivery: Delivery;
  overhead: number;
}

// A first listing of much unread mail reads this many digests at a time, so
// that digests for watched inboxes (which hold up a "250") and readers' full
// parses are not queued behind all of them in the parse workers.
const LIST_READS_AT_ONCE = 4;

// A timer longer than this is re-armed rather than trusted: setTimeout
// overflows past 24.8 days, and a shorter horizon bounds the effect of a bug.
const LONGEST_TIMER_MS = 3_600_000;

/**
 * The embedded store. lru-cache keeps records in arrival order with their
 * time to live; reads use `peek`, so reading never extends a life nor
 * reorders, and the least recently used record is always the oldest. Raw
 * bytes shared by several recipients are counted once.
 *
 * Most mail a catcher takes is never read, so a digest is read (in a parse
 * worker: about 40% of a message's CPU when intake read every one) only for
 * inboxes someone watches, or when a message is first listed or opened.
 */
export function createMemoryStore(options: MemoryStoreOptions): Store {
  const { clock, inboxLimit, memoryLimit } = options;
  const isWatched = options.isWatched ?? (() => true);
  const newHeads = createHeadMaker(options.ttlMs);
  /** Per inbox, the last announcement still under way. */
  const announcements = new Map<string, Promise<void>>();
  const listeners = new Set<StoreListener>();
  const inboxes = new Map<string, Set<string>>();
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
    const { inbox, id } = record.head;
    const ids = inboxes.get(inbox) ?? new Set<string>();
    inboxes.set(inbox, ids.add(id));
    const { delivery } = record;
    bytes += record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
    delivery.storedCopies++;
  }

  function forget(record: MemoryRecord): void {
    const { inbox, id } = record.head;
    const ids = inboxes.get(inbox);
    ids?.delete(id);
    if (ids?.size === 0) inboxes.delete(inbox);
    const { delivery } = record;
    delivery.storedCopies--;
    bytes -= record.overhead + (delivery.storedCopies === 0 ? delivery.counted : 0);
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
    const delay = Math.min(Math.max(1, oldest.head.expiresAt + 1 - clock.now()), LONGEST_TIMER_MS);
    cancelExpiryTimer = clock.schedule(delay, () => {
      cancelExpiryTimer = null;
      cache.purgeStale();
      armExpiryTimer();
    });
  }

  function newRecords(message: NewMessage, delivery: Delivery): MemoryRecord[] {
    return newHeads(message, clock.now()).map((head) => (
      { head, summary: null, delivery, overhead: recordOverhead(head, null, delivery.envelope) }));
  }

  function live(id: string): MemoryRecord | undefined {
    return cache.peek(id);
  }

  function isLive(record: MemoryRecord): boolean {
    return live(record.head.id) === record;
  }

  /**
   * The record's summary, its digest read first if need be. A digest larger
   * than the allowance recordOverhead counts from the start adds its excess;
   * the next delivery makes room, so that reading never evicts.
   */
  async function summarise(record: MemoryRecord): Promise<MessageSummary> {
    if (record.summary !== null) return record.summary;
    let digest: MessageDigest;
    try {
      digest = await digestOf(record.delivery);
    } catch (error) {
      throw new StoreUnavailableError('This message could not be read just now; try again.', { cause: error });
    }
    // Another reader of the same record may have got here first.
    if (record.summary !== null) return record.summary;
    record.summary = summaryOf(record.head, digest);
    if (isLive(record)) {
      const overhead = recordOverhead(record.head, digest, record.delivery.envelope);
      bytes += overhead - record.overhead;
      record.overhead = overhead;
    }
    return record.summary;
  }

  /** Reads the digests of unread records a few at a time (see LIST_READS_AT_ONCE). */
  async function summariseAll(records: MemoryRecord[]): Promise<void> {
    const unread = records.filter((record) => record.summary === null);
    for (let start = 0; start < unread.length; start += LIST_READS_AT_ONCE) {
      await Promise.all(unread.slice(start, start + LIST_READS_AT_ONCE).map(summarise));
    }
  }

  /**
   * Reads the digest and sends the `message` event. Digests are read side by
   * side, but each inbox's events go out in the order its messages were
   * stored, which a reader waiting for mail after a given id relies on; so
   * a delivery's "250" may wait for an earlier one to the same watched inbox.
   */
  function announce(record: MemoryRecord): Promise<void> {
    const { inbox } = record.head;
    const previous = announcements.get(inbox);
    const reading = summarise(record);
    const announced = (async () => {
      try {
        const summary = await reading;
        await previous;
        if (isLive(record)) emit({ type: 'message', inbox, message: summary });
      } catch (error) {
        if (!closed) options.onError?.(error);
      }
    })();
    announcements.set(inbox, announced);
    void announced.then(() => {
      if (announcements.get(inbox) === announced) announcements.delete(inbox);
    });
    return announced;
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
      for (const record of records) {
        makeRoomInInbox(record.head.inbox);
        cache.set(record.head.id, record);
        remember(record);
      }
      enforceBudget();
      armExpiryTimer();
      const heads: MessageHead[] = [];
      const announced: Array<Promise<void>> = [];
      for (const record of records) {
        heads.push(record.head);
        if (isWatched(record.head.inbox)) announced.push(announce(record));
      }
      if (announced.length > 0) await Promise.all(announced);
      return heads;
    },

    async list(inbox) {
      const records = [...(inboxes.get(inbox) ?? [])].reverse().flatMap((id) => live(id) ?? []);
      await summariseAll(records);
      // Reading digests takes time, in which messages may have left.
      return records.flatMap((record) => record.summary !== null && isLive(record) ? [record.summary] : []);
    },

    async get(inbox, id) {
      const record = live(id);
      if (record?.head.inbox !== inbox) return undefined;
      const summary = await summarise(record);
      return isLive(record) ? { summary, envelope: record.delivery.envelope, raw: rawOf(record.delivery) } : undefined;
    },

    async delete(inbox, id) {
      if (live(id)?.head.inbox !== inbox) return false;
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
