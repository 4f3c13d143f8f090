import type { SharedCounter } from '../../runtime/shared-counter.js';
import { ApiProblem } from '../problem.js';
import { createSlotLimits, type SlotLimits } from './slot-limits.js';

// A wait ends within its timeout (30 s by default) and usually much sooner, when mail arrives;
// these are hints to come back later, not promises that a slot will be free by then.
const CLIENT_RETRY_AFTER_SECONDS = 5;
const SERVER_RETRY_AFTER_SECONDS = 10;

/** The caps on open long polls. */
export interface WaiterLimitSettings {
  maxWaitersPerClient: number;
  maxWaiters: number;
}

/** Counts the long polls held open, per client and in total. */
export type WaiterLimits = SlotLimits;

/**
 * Every open wait holds a hub subscription, a timer and a socket, so a client
 * that opens thousands of them costs the server far more than its requests
 * suggest. One more than its share is refused with 429, and one more than the
 * server holds with 503. With `shared`, a client's share counts its waits on
 * every instance; the server's total stays this process's own.
 */
export function createWaiterLimits(settings: WaiterLimitSettings, shared: SharedCounter | null = null): WaiterLimits {
  return createSlotLimits({
    sharing: shared === null ? null : { counter: shared, kind: 'waits' },
    perClient: {
      max: settings.maxWaitersPerClient,
      refusal: new ApiProblem(429, 'Too Many Requests', `Your address already has ${settings.maxWaitersPerClient} waits for mail open, the most allowed; let one finish or cancel it, then try again in ${CLIENT_RETRY_AFTER_SECONDS} seconds.`, {
        code: 'too_many_waits', headers: { 'retry-after': String(CLIENT_RETRY_AFTER_SECONDS) },
      }),
    },
    total: {
      max: settings.maxWaiters,
      refusal: new ApiProblem(503, 'Service Unavailable', `The server is holding as many waits for mail as it can; try again in ${SERVER_RETRY_AFTER_SECONDS} seconds, or list the inbox instead.`, {
        code: 'server_busy', headers: { 'retry-after': String(SERVER_RETRY_AFTER_SECONDS) },
      }),
    },
  });
}
