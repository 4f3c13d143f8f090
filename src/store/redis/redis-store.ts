import type { Clock } from '../../runtime/clock.js';
import { notifyEach } from '../../runtime/listeners.js';
import { closeRedisConnection } from '../../runtime/redis-connection.js';
import type { Envelope, MessageHead, StoredMessage } from '../message.js';
import { createHeadMaker } from '../new-heads.js';
import { joinRaw } from '../raw-bytes.js';
import type { CopyNotes, Store, StoreEvent, StoreListener } from '../store.js';
import { MAX_NOTE_BYTES, OverShareError, StoreUnavailableError } from '../store.js';
import { connect, openConnection, unavailable } from './connection.js';
import { createEventRelay, type EventRelay } from './events.js';
import { DEFAULT_KEY_PREFIX, redisKeys, scriptKeys } from './keys.js';
import { headFromJson, planAdd } from './records.js';
import { runScript, SCRIPTS, type RedisScript } from './scripts.js';
import { createSweeper, type SweepResult } from './sweeper.js';

/** Options of the Redis store; the limits mean what they mean for the memory store. */
export interface RedisStoreOptions {
  /** redis://[user:password@]host:port/db */
  url: string;
  ttlMs: number;
  /** Bytes of mail held at most across all instances; the oldest of the largest sender anywhere are evicted. */
  memoryLimit: number;
  /** Bytes one sender, and one inbox, may hold across all instances; null when only memoryLimit applies. */
  memoryShare: number | null;
  inboxLimit: number;
  clock: Clock;
  /** Keeps stores apart on one Redis; every instance of one deployment must use the same. */
  keyPrefix?: string;
  onListenerError?: (error: unknown) => void;
  /** Told about trouble the store survives by itself: a failed sweep, a malformed event. */
  onError?: (error: unknown) => void;
  /** Told when the connection to Redis is lost (false) and when it is back (true). */
  onConnectionChange?: (up: boolean) => void;
}

/** The Redis store, plus what tests and shutdown need. */
export interface RedisStore extends Store {
  /** Always there: every instance on this Redis reads the notes the others keep. */
  notes: CopyNotes;
  /** Resolves once running sweeps are done and every event published so far has reached this instance's listeners. */
  flush(): Promise<void>;
}

// Keys outlive their expiresAt by this much before Redis drops them itself:
// long enough that the sweeper, not the backstop, always removes live data.
const BACKSTOP_MARGIN_MS = 10 * 60_000;

/**
 * A Store kept in Redis and shared by any number of Ephemail instances.
 * Writes are Lua scripts (scripts.ts), so the per-inbox cap, the shares, the
 * byte budget and expiry hold across instances; events travel on Redis pub/sub
 * and reach every instance's listeners. While Redis is away every method
 * rejects at once with StoreUnavailableError; ioredis reconnects and
 * resubscribes by itself, and the store carries on when Redis is back.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const { clock, ttlMs, inboxLimit, memoryLimit, memoryShare, url } = options;
  const keys = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  const fixedKeys = scriptKeys(keys);
  const backstopMs = ttlMs + BACKSTOP_MARGIN_MS;
  const newHeads = createHeadMaker(ttlMs);
  const onError = options.onError ?? (() => {});
  const listeners = new Set<StoreListener>();
  let closed = false;

  const redis = openConnection(url, 'commands');
  const subscriber = openConnection(url, 'events');
  // ioredis reports every failed reconnect attempt as an error; the connection events below say it once.
  redis.on('error', () => {});
  subscriber.on('error', () => {});
  await connect(redis, url);
  try {
    await connect(subscriber, url);
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  async function guarded<T>(operation: () => Promise<T>): Promise<T> {
    if (closed) throw unavailable(true);
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreUnavailableError || error instanceof OverShareError) throw error;
      // Failing while connected is not an outage (a full Redis, a timeout, a bug): worth a log line.
      if (redis.status === 'ready' && !closed) onError(error);
      throw Object.assign(unavailable(closed), { cause: error });
    }
  }

  const run = (script: RedisScript, args: ReadonlyArray<string | number | Buffer>, buffers = false) =>
    runScript(redis, script, fixedKeys, [keys.prefix, ...args], buffers);

  function emit(event: StoreEvent): void {
    if (closed) return;
    if (event.type === 'message') sweeper.expect(event.message.expiresAt);
    notifyEach(listeners, event, options.onListenerError);
  }

  const sweeper = createSweeper({
    clock,
    // While Redis is away every retry would fail; onConnectionChange has said so once already.
    onError: (error) => {
      if (redis.status === 'ready') onError(error);
    },
    sweep: async (now, limit): Promise<SweepResult> => {
      const [removed, next] = await run(SCRIPTS.sweep, [now, limit]) as [number, string | null];
      return { removed, next: next === null ? null : Number(next) };
    },
  });

  let relay: EventRelay;
  try {
    relay = await createEventRelay({ subscriber, publisher: redis, channel: keys.events, onEvent: emit, onError });
  } catch {
    redis.disconnect();
    subscriber.disconnect();
    throw unavailable(false);
  }

  // A reconnect may follow a Redis restart or a long outage: learn the oldest expiry again.
  let wasReady = true;
  redis.on('ready', () => {
    if (!wasReady) options.onConnectionChange?.(true);
    wasReady = true;
    sweeper.kick();
  });
  redis.on('close', () => {
    if (wasReady && !closed) options.onConnectionChange?.(false);
    wasReady = false;
  });
  sweeper.kick();

  const isLive = (head: MessageHead) => head.expiresAt >= clock.now();

  return {
    add: (arrived) => guarded(async () => {
      // Redis takes the bytes as a single argument.
      const message = { ...arrived, raw: joinRaw(arrived.raw) };
      const now = clock.now();
      const plan = planAdd(message, newHeads(message, now), now, { inboxLimit, memoryLimit, memoryShare, backstopMs });
      if (plan.needed > memoryLimit) {
        throw new StoreUnavailableError('The message is larger than the memory this server keeps for mail.');
      }
      const [outcome, held, share] = await run(SCRIPTS.add, plan.args) as [string, number?, number?];
      if (outcome === 'over_share') throw new OverShareError({ held: Number(held), share: Number(share) });
      const heads = plan.copies.map((copy) => copy.head);
      for (const head of heads) sweeper.expect(head.expiresAt);
      return heads;
    }),

    list: (inbox) => guarded(async () => {
      const found = await run(SCRIPTS.list, [inbox]) as string[];
      return found.map(headFromJson).filter(isLive);
    }),

    get: (inbox, id) => guarded(async (): Promise<StoredMessage | undefined> => {
      const found = await run(SCRIPTS.get, [inbox, id], true) as [Buffer, Buffer, Buffer] | null;
      if (found === null) return undefined;
      const head = headFromJson(found[0].toString('utf8'));
      if (head.inbox !== inbox || !isLive(head)) return undefined;
      return { head, envelope: JSON.parse(found[1].toString('utf8')) as Envelope, raw: found[2] };
    }),

    delete: (inbox, id) => guarded(async () => await run(SCRIPTS.delete, [clock.now(), inbox, id]) === 1),

    deleteInbox: (inbox) => guarded(async () => Number(await run(SCRIPTS.deleteInbox, [clock.now(), inbox]))),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    stats: () => guarded(async () => {
      const [messages, bytes] = await Promise.all([redis.zcard(keys.arrival), redis.get(keys.bytes)]);
      return { messages, bytes: Number(bytes ?? 0) };
    }),

    shareOf: (sender) => guarded(async () => {
      if (memoryShare === null) return null;
      return { held: Number(await redis.zscore(keys.senders, sender) ?? 0), share: memoryShare };
    }),

    notes: {
      noteOf: (inbox, id) => guarded(async () => await run(SCRIPTS.noteOf, [clock.now(), inbox, id]) as string | null ?? undefined),
      keepNote: (inbox, id, note) => guarded(async () =>
        Buffer.byteLength(note, 'utf8') <= MAX_NOTE_BYTES && await run(SCRIPTS.keepNote, [inbox, id, note]) === 1),
    },

    flush: () => guarded(async () => {
      await sweeper.idle();
      await relay.flush();
    }),

    async close() {
      if (closed) return;
      closed = true;
      sweeper.stop();
      await sweeper.idle();
      listeners.clear();
      relay.close();
      await Promise.all([closeRedisConnection(redis), closeRedisConnection(subscriber)]);
    },
  };
}
