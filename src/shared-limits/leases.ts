import type { Redis } from 'ioredis';
import type { Clock } from '../runtime/clock.js';

// Renewed this many times per lease, so a renewal may fail twice before a held slot's lease runs out.
const RENEWALS_PER_LEASE = 3;

/** What the leases are kept with. */
export interface LeaseOptions {
  redis: Redis;
  clock: Clock;
  leaseMs: number;
  /** Told when Redis failed a renewal or a release. */
  onError: (error: unknown) => void;
}

/** The slot leases this instance holds in Redis (limit-scripts.ts takes them). */
export interface Leases {
  /** Keeps `member` of `key` renewed until the returned function releases it (once; later calls do nothing). */
  hold(key: string, member: string): () => void;
  /** Redis is away: stop writing. */
  pause(): void;
  /** Redis is back: write every held lease now, taken meanwhile or not, then renew them periodically. */
  resume(): void;
}

/**
 * Renews held leases before they end, so only a crashed instance's slots run
 * out. A lease taken while Redis was away, or dropped by a Redis restart,
 * is written with the next renewal. One released while Redis was away is not
 * remembered (an outage would make that list grow without bound): it stays
 * counted there until its lease ends.
 */
export function createLeases({ redis, clock, leaseMs, onError }: LeaseOptions): Leases {
  const held = new Map<string, string>();
  let cancelRenewal: (() => void) | null = null;

  function schedule(): void {
    cancelRenewal = clock.schedule(leaseMs / RENEWALS_PER_LEASE, () => {
      schedule();
      void renew();
    });
  }

  async function renew(): Promise<void> {
    if (held.size === 0) return;
    const end = clock.now() + leaseMs;
    const byKey = new Map<string, Array<string | number>>();
    for (const [member, key] of held) {
      const pairs = byKey.get(key) ?? [];
      pairs.push(end, member);
      byKey.set(key, pairs);
    }
    // One transaction: after a Redis restart ZADD creates the key, and it must not be left without its expiry.
    const batch = redis.multi();
    for (const [key, pairs] of byKey) batch.zadd(key, ...pairs).pexpire(key, leaseMs);
    try {
      const failed = (await batch.exec())?.find(([error]) => error !== null);
      if (failed !== undefined) onError(failed[0]);
    } catch (error) {
      onError(error);
    }
  }

  return {
    hold(key, member) {
      held.set(member, key);
      return () => {
        if (!held.delete(member) || cancelRenewal === null) return;
        // A release Redis missed is a lease that runs out by itself.
        redis.zrem(key, member).catch(onError);
      };
    },
    pause() {
      cancelRenewal?.();
      cancelRenewal = null;
    },
    resume() {
      schedule();
      void renew();
    },
  };
}
