import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Clock } from '../../runtime/clock.js';
import type { HttpConfig } from '../../config/config.js';
import { requestAddress, upgradeAddress } from './client-ip.js';
import { clientKey } from '../../runtime/client-key.js';
import type { ClientRefusal } from '../events/sockets.js';
import { createRateLimiter, tooManyRequestsDetail, type RateLimiter } from './rate-limit.js';
import { createReadLimits, type ReadLimits } from './read-limits.js';
import { createWaiterLimits, type WaiterLimits } from './waiter-limits.js';

/**
 * The page, its scripts and styles, /healthz and /metrics: files from disk
 * with cheap 304s, and probes from a handful of addresses. They get a bucket
 * of their own, this many times the API's, so loading the inbox never eats
 * into the API budget and a probe never looks like an outage, while a flood
 * of them (each /healthz may be a Redis round trip) is still bounded.
 */
const SITE_BUDGET_FACTOR = 4;

/** The options the limits are made from. */
export type HttpLimitSettings = Pick<HttpConfig, 'rateLimitPerMinute' | 'rateBurst' | 'maxWaitersPerClient' | 'maxWaiters' | 'trustedProxies'>;

/** The HTTP side's defences against one client taking more than its share; one set per server. */
export interface HttpLimits {
  /** The API budget, also spent by WebSocket handshakes: the sockets are API too. */
  api: RateLimiter;
  /** The budget of everything outside /api. */
  site: RateLimiter;
  /** Open long polls. */
  waiters: WaiterLimits;
  /** Message reads in flight, each of which may wait for a parse worker. */
  reads: ReadLimits;
  /** The client a request counts against (see client-ip.ts and client-key.ts). */
  clientOf(c: Context): string;
  /** For createEventSockets' `admitClient`: spends a token of the API budget, or says when to come back. */
  admitUpgrade(request: IncomingMessage): ClientRefusal | null;
}

/** Makes the limits, with time from `clock`; `maxClients` bounds each limiter's memory (default in rate-limit.ts). */
export function createHttpLimits(settings: HttpLimitSettings, clock: Clock, options: { maxClients?: number } = {}): HttpLimits {
  const { trustedProxies } = settings;
  const bounds = options.maxClients === undefined ? {} : { maxClients: options.maxClients };
  const api = createRateLimiter({ perMinute: settings.rateLimitPerMinute, burst: settings.rateBurst, clock, ...bounds });
  return {
    api,
    site: createRateLimiter({
      perMinute: settings.rateLimitPerMinute * SITE_BUDGET_FACTOR, burst: settings.rateBurst * SITE_BUDGET_FACTOR, clock, ...bounds,
    }),
    waiters: createWaiterLimits(settings),
    reads: createReadLimits(),
    clientOf: (c) => clientKey(requestAddress(c, trustedProxies)),
    admitUpgrade(request) {
      const decision = api.take(clientKey(upgradeAddress(request, trustedProxies)));
      if (decision.ok) return null;
      return { status: 429, reason: tooManyRequestsDetail(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
    },
  };
}
