import { LRUCache } from 'lru-cache';
import type { Clock } from '../../runtime/clock.js';
import type { BucketSettings, SharedCounter, TokenDecision } from '../../runtime/shared-counter.js';

/**
 * How many clients' buckets are kept. A bucket is a few dozen bytes, so this
 * caps the limiter at a few megabytes however many addresses an attacker
 * sends from. When it is full the least recently seen client is forgotten;
 * forgetting only ever gives a client a full bucket again, so a flood of
 * addresses can make the limiter more lenient to idle clients, never stricter
 * to anyone, and a busy client is recently seen and stays tracked.
 */
export const DEFAULT_MAX_TRACKED_CLIENTS = 100_000;

/** Token buckets per client. */
export interface RateLimiter {
  /** Takes one token from `client`'s bucket. */
  take(client: string): TokenDecision;
  /** Clients with a bucket now; never more than the bound given at creation. */
  trackedClients(): number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, by the injected clock. */
  at: number;
}

/**
 * A token bucket per client: a client may make `burst` requests at once,
 * then one each time a token refills. Time comes from `clock`, so tests move
 * it instead of sleeping.
 */
export function createRateLimiter(options: BucketSettings & { clock: Clock; maxClients?: number }): RateLimiter {
  const { burst, clock } = options;
  const tokensPerMs = options.perMinute / 60_000;
  const buckets = new LRUCache<string, Bucket>({ max: options.maxClients ?? DEFAULT_MAX_TRACKED_CLIENTS });

  return {
    take(client) {
      const now = clock.now();
      const bucket = buckets.get(client);
      if (bucket === undefined) {
        buckets.set(client, { tokens: burst - 1, at: now });
        return { ok: true };
      }
      // Never less than zero: a clock that steps back must not drain anyone's bucket.
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * tokensPerMs);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      // Refused requests cost nothing, so a client that waits the time it is told succeeds.
      const waitMs = (1 - bucket.tokens) / tokensPerMs;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) };
    },
    trackedClients: () => buckets.size,
  };
}

/** A client budget as requests spend it, counted in this process or across instances. */
export interface Budget {
  /** Takes one token from `client`'s bucket. */
  take(client: string): Promise<TokenDecision>;
  /** Clients with a bucket in this process now. */
  trackedClients(): number;
}

/** What a budget is made from besides its settings. */
export interface BudgetOptions {
  /** Names the budget on `shared`. */
  name: string;
  clock: Clock;
  maxClients?: number;
  /** Counts the budget across instances; null (or while it cannot) counts here. */
  shared: SharedCounter | null;
}

/**
 * The token bucket above, counted on `shared` when there is one, so one
 * client's budget is the same whichever instances it asks. Every request
 * that the shared count answers is also counted here, so when the shared
 * count cannot answer this process decides from what the client really spent
 * on it, and a flap of the shared count never hands out a fresh burst. The
 * shared answer wins whenever there is one: here counts only this process's
 * share of it.
 */
export function createBudget(settings: BucketSettings, { name, clock, maxClients, shared }: BudgetOptions): Budget {
  const here = createRateLimiter({ ...settings, clock, ...(maxClients === undefined ? {} : { maxClients }) });
  return {
    async take(client) {
      const answer = await shared?.takeToken(name, client, settings);
      if (answer === undefined || answer === null) return here.take(client);
      // Spent here too, whatever here says; a refusal costs nothing on either count.
      if (answer.ok) here.take(client);
      return answer;
    },
    trackedClients: () => here.trackedClients(),
  };
}

/** The sentence for a refused request, the same over HTTP and on a refused WebSocket handshake. */
export function tooManyRequestsDetail(retryAfterSeconds: number): string {
  return `Too many requests from your address; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`;
}
