import { randomUUID } from 'node:crypto';
import { Gauge, type Registry } from 'prom-client';
import type { SlotGrant } from '../runtime/client-slots.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import { closeRedisConnection, openRedisConnection } from '../runtime/redis-connection.js';
import type { SharedCounter } from '../runtime/shared-counter.js';
import { createLeases } from './leases.js';
import { defineLimitCommands } from './limit-scripts.js';
import { createSharingLog } from './sharing-log.js';

// A limit check runs before every request: a Redis that does not answer within
// this is treated as away, and the instance counts on its own at once.
const DEFAULT_COMMAND_TIMEOUT_MS = 250;
// How long a slot is held for an instance that stopped renewing it (a crash): at most this long, a client may be refused a slot it no longer holds.
const DEFAULT_LEASE_MS = 30_000;
// While Redis is away, how often it is asked whether it is back: with a write,
// as a Redis that answers PING may still refuse writes (out of memory, a replica).
const PROBE_INTERVAL_MS = 1_000;

/** What the shared limits are made from. */
export interface RedisLimitsOptions {
  /** The store's Redis (--store). */
  url: string;
  /** Keeps deployments on one Redis apart: the store's prefix (src/store/redis/keys.ts). */
  keyPrefix: string;
  clock: Clock;
  /** Where the `ephemail_shared_limits` gauge is registered. */
  registry: Registry;
  log: Logger;
  leaseMs?: number;
  /** How long a command may take before Redis counts as away (250 ms); tests of what Redis counts set it longer. */
  commandTimeoutMs?: number;
}

/** The per-client limits counted in Redis, with the connection that counts them. */
export interface RedisLimits extends SharedCounter {
  close(): Promise<void>;
}

/**
 * Counts per-client limits in Redis for every instance on it, on a connection
 * of its own with a short command timeout. When a command fails or Redis is
 * away, every limit is counted by each instance on its own (the callers'
 * counts) at once; a gauge and a log line (sharing-log.ts) say so, and the
 * next probe that Redis accepts a write for brings counting back to Redis,
 * with the slots taken meanwhile.
 */
export async function createRedisLimits(options: RedisLimitsOptions): Promise<RedisLimits> {
  const { clock, log, keyPrefix } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const redis = openRedisConnection(options.url, 'ephemail-limits', options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  // ioredis reports every failed reconnect attempt as an error; the change of counting says it once.
  redis.on('error', () => {});
  const commands = defineLimitCommands(redis);
  const gauge = new Gauge({
    name: 'ephemail_shared_limits',
    help: 'Per-client limits are counted in Redis for all instances (1), or by this instance alone while Redis cannot be reached (0).',
    registers: [options.registry],
  });
  // Until the first connection fails, so that failure is said like any other.
  let shared = true;
  let closed = false;
  let cancelProbe: (() => void) | null = null;
  // Names this instance in every lease it holds, with a count of the slots it took.
  const instance = randomUUID();
  let slotsTaken = 0;
  // How far this process's clock is ahead of Redis's, measured whenever counting moves to Redis.
  // Leases are dated in Redis's time, as the slot script drops those that ended by the taker's:
  // an instance whose clock runs ahead must not drop the live leases of others.
  let aheadOfRedisMs = 0;
  const leaseClock: Clock = { now: () => clock.now() - aheadOfRedisMs, schedule: clock.schedule };
  const leases = createLeases({ redis, clock: leaseClock, leaseMs, onError: (error) => countHere(error) });
  const keyOf = (name: string, client: string) => `${keyPrefix}limit:${name}:${client}`;
  const probeKey = keyOf('probe', instance);
  const sharingLog = createSharingLog(log, clock);

  function countHere(error?: unknown): void {
    if (closed || cancelProbe !== null) return;
    if (shared) sharingLog.apart(error);
    else sharingLog.stillApart();
    shared = false;
    leases.pause();
    gauge.set(0);
    cancelProbe = clock.schedule(PROBE_INTERVAL_MS, () => void probe());
  }

  function countShared(): void {
    if (closed) return;
    // A probe may have been scheduled by a connection that closed while this one was asked.
    cancelProbe?.();
    cancelProbe = null;
    shared = true;
    gauge.set(1);
    // What was held meanwhile is written now, so no client holds its share twice for long.
    leases.resume();
  }

  async function measureClock(): Promise<void> {
    const [seconds, micros] = await redis.time();
    // Typed as numbers, sent as strings.
    aheadOfRedisMs = clock.now() - (Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000));
  }

  async function probe(): Promise<void> {
    cancelProbe = null;
    if (closed) return;
    try {
      if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
      await redis.set(probeKey, '1', 'PX', PROBE_INTERVAL_MS);
      await measureClock();
    } catch {
      countHere();
      return;
    }
    // Closed while the probe was out: the connection is quitting, so nothing may start on it.
    if (closed) return;
    sharingLog.shared();
    countShared();
  }

  redis.on('close', () => countHere());
  try {
    await redis.connect();
    await measureClock();
    countShared();
  } catch (error) {
    countHere(error);
  }

  return {
    async takeToken(budget, client, { perMinute, burst }) {
      if (!shared) return null;
      try {
        const reply = await commands.takeToken(keyOf(budget, client), clock.now(), burst, perMinute / 60_000);
        return reply[0] === 1 ? { ok: true } : { ok: false, retryAfterSeconds: reply[1] };
      } catch (error) {
        countHere(error);
        return null;
      }
    },

    async takeSlot(kind, client, perClient): Promise<SlotGrant> {
      const key = keyOf(kind, client);
      const member = `${instance}:${++slotsTaken}`;
      if (shared) {
        try {
          const now = leaseClock.now();
          if (await commands.takeSlot(key, now, perClient, member, now + leaseMs, leaseMs) === 0) return { ok: false, full: 'client' };
        } catch (error) {
          // Perhaps taken, perhaps not: held either way, and written with the next renewal.
          countHere(error);
        }
      }
      return { ok: true, release: leases.hold(key, member) };
    },

    async close() {
      closed = true;
      cancelProbe?.();
      leases.pause();
      await closeRedisConnection(redis);
    },
  };
}
