import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Clock } from '../../runtime/clock.js';
import type { HttpConfig } from '../../config/config.js';
import { requestAddress, upgradeAddress } from './client-ip.js';
import { clientKey } from '../../runtime/client-key.js';
import { createClientSlots } from '../../runtime/client-slots.js';
import type { ClientRefusal } from '../events/sockets.js';
import { createRateLimiter, tooManyRequestsDetail, type RateLimiter } from './rate-limit.js';
import { createReadLimits, type ReadLimits } from './read-limits.js';
import type { RefusalLog } from './refusal-log.js';
import { createWaiterLimits, type WaiterLimits } from './waiter-limits.js';

/**
 * The page, its scripts and styles, /healthz and /metrics: files from disk
 * with cheap 304s, and probes from a handful of addresses. They get a bucket
 * of their own, this many times the API's, so loading the inbox never eats
 * into the API budget and a probe never looks like an outage, while a flood
 * of them (each /healthz may be a Redis round trip) is still bounded.
 */
const SITE_BUDGET_FACTOR = 4;

// An event socket stays open as long as its page does: a retry makes sense once a tab is closed, not in a second.
const EVENT_SOCKET_RETRY_AFTER_SECONDS = 10;

/** The options the limits are made from. */
export type HttpLimitSettings = Pick<HttpConfig, 'rateLimitPerMinute' | 'rateBurst' | 'maxWaitersPerClient' | 'maxWaiters' | 'maxEventSocketsPerClient' | 'trustedProxies'>;

/** What the limits need besides their settings. */
export interface HttpLimitDependencies {
  clock: Clock;
  /** Where a refused event socket is counted and logged. */
  refusals: RefusalLog;
}

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
  /**
   * For createEventSockets' `admitClient`: spends a token of the API budget
   * and takes one of the client's event-socket slots until the socket
   * closes, or says why not and when to come back.
   */
  admitUpgrade(request: IncomingMessage): ClientRefusal | null;
}

/** Makes the limits; `maxClients` bounds each limiter's memory (default in rate-limit.ts). */
export function createHttpLimits(settings: HttpLimitSettings, { clock, refusals }: HttpLimitDependencies, options: { maxClients?: number } = {}): HttpLimits {
  const { trustedProxies } = settings;
  const bounds = options.maxClients === undefined ? {} : { maxClients: options.maxClients };
  const api = createRateLimiter({ perMinute: settings.rateLimitPerMinute, burst: settings.rateBurst, clock, ...bounds });
  // The total is --http-max-connections: every event socket is an HTTP connection.
  const eventSockets = createClientSlots({ perClient: settings.maxEventSocketsPerClient, total: Infinity });
  return {
    api,
    site: createRateLimiter({
      perMinute: settings.rateLimitPerMinute * SITE_BUDGET_FACTOR, burst: settings.rateBurst * SITE_BUDGET_FACTOR, clock, ...bounds,
    }),
    waiters: createWaiterLimits(settings),
    reads: createReadLimits(),
    clientOf: (c) => clientKey(requestAddress(c, trustedProxies)),
    admitUpgrade(request) {
      const address = upgradeAddress(request, trustedProxies);
      const client = clientKey(address);
      const decision = api.take(client);
      if (!decision.ok) {
        return { status: 429, reason: tooManyRequestsDetail(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
      }
      const slot = eventSockets.take(client);
      if (!slot.ok) {
        const reason = `Your address has ${settings.maxEventSocketsPerClient} live event sockets open, the most this server allows one client; close one (another tab, perhaps) and reconnect.`;
        refusals.refused('too_many_event_sockets', address, reason);
        return { status: 429, reason, retryAfterSeconds: EVENT_SOCKET_RETRY_AFTER_SECONDS };
      }
      // Held until the socket closes, whether the handshake then succeeds or is refused for another reason.
      request.socket.once('close', slot.release);
      return null;
    },
  };
}
