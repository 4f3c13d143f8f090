import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Clock } from '../../runtime/clock.js';
import type { HttpConfig } from '../../config/config.js';
import { requestAddress, upgradeAddress } from './client-ip.js';
import { clientKey } from '../../runtime/client-key.js';
import { createSharedClientSlots } from '../../runtime/client-slots.js';
import type { SharedCounter } from '../../runtime/shared-counter.js';
import type { ClientRefusal } from '../events/sockets.js';
import { createBudget, tooManyRequestsDetail, type Budget } from './rate-limit.js';
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
  /**
   * Counts the per-client limits across instances (with a Redis store): the
   * budgets, waits and event sockets per client. Without it, or while it
   * cannot count, each is counted in this process.
   */
  shared?: SharedCounter | null;
}

/** The HTTP side's defences against one client taking more than its share; one set per server. */
export interface HttpLimits {
  /** The API budget, also spent by WebSocket handshakes: the sockets are API too. */
  api: Budget;
  /** The budget of everything outside /api. */
  site: Budget;
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
  admitUpgrade(request: IncomingMessage): Promise<ClientRefusal | null>;
}

/** Makes the limits; `maxClients` bounds each budget's memory in this process (default in rate-limit.ts). */
export function createHttpLimits(settings: HttpLimitSettings, { clock, refusals, shared = null }: HttpLimitDependencies, options: { maxClients?: number } = {}): HttpLimits {
  const { trustedProxies } = settings;
  const budget = { clock, shared, ...options };
  const api = createBudget({ perMinute: settings.rateLimitPerMinute, burst: settings.rateBurst }, { name: 'api', ...budget });
  const site = createBudget({ perMinute: settings.rateLimitPerMinute * SITE_BUDGET_FACTOR, burst: settings.rateBurst * SITE_BUDGET_FACTOR }, { name: 'site', ...budget });
  // The total is --http-max-connections: every event socket is an HTTP connection.
  const eventSockets = createSharedClientSlots(
    { perClient: settings.maxEventSocketsPerClient, total: Infinity }, shared === null ? null : { counter: shared, kind: 'ws' },
  );
  return {
    api,
    site,
    waiters: createWaiterLimits(settings, shared),
    reads: createReadLimits(),
    clientOf: (c) => clientKey(requestAddress(c, trustedProxies)),
    async admitUpgrade(request) {
      const address = upgradeAddress(request, trustedProxies);
      const client = clientKey(address);
      const decision = await api.take(client);
      if (!decision.ok) {
        return { status: 429, reason: tooManyRequestsDetail(decision.retryAfterSeconds), retryAfterSeconds: decision.retryAfterSeconds };
      }
      const slot = await eventSockets.take(client);
      if (!slot.ok) {
        const reason = `Your address has ${settings.maxEventSocketsPerClient} live event sockets open, the most this server allows one client; close one (another tab, perhaps) and reconnect.`;
        refusals.refused('too_many_event_sockets', address, reason);
        return { status: 429, reason, retryAfterSeconds: EVENT_SOCKET_RETRY_AFTER_SECONDS };
      }
      // Held until the socket closes, whether the handshake then succeeds or is refused for another reason;
      // a socket that closed while the count was asked has said so already.
      if (request.socket.destroyed) slot.release();
      else request.socket.once('close', slot.release);
      return null;
    },
  };
}
