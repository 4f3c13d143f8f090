import { ApiProblem } from '../problem.js';

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
export interface WaiterLimits {
  /**
   * Takes a slot for `client`, or throws a 429 (this client holds its share)
   * or 503 (the server holds all it will) problem. The returned function
   * frees the slot; calling it again does nothing.
   */
  enter(client: string): () => void;
  /** Waits held now. */
  held(): number;
  /** Clients holding at least one wait. */
  clients(): number;
}

/**
 * Every open wait holds a hub subscription, a timer and a socket, so a client
 * that opens thousands of them costs the server far more than its requests
 * suggest. The per-client map needs no other bound: a client is in it only
 * while it holds a slot, so it never has more entries than `maxWaiters`.
 */
export function createWaiterLimits(settings: WaiterLimitSettings): WaiterLimits {
  const perClient = new Map<string, number>();
  let held = 0;

  return {
    enter(client) {
      const mine = perClient.get(client) ?? 0;
      if (mine >= settings.maxWaitersPerClient) {
        throw new ApiProblem(429, 'Too Many Requests', `Your address already has ${mine} waits for mail open, the most allowed; let one finish or cancel it, then try again in ${CLIENT_RETRY_AFTER_SECONDS} seconds.`, {
          code: 'too_many_waits', headers: { 'retry-after': String(CLIENT_RETRY_AFTER_SECONDS) },
        });
      }
      if (held >= settings.maxWaiters) {
        throw new ApiProblem(503, 'Service Unavailable', `The server is holding as many waits for mail as it can; try again in ${SERVER_RETRY_AFTER_SECONDS} seconds, or list the inbox instead.`, {
          code: 'server_busy', headers: { 'retry-after': String(SERVER_RETRY_AFTER_SECONDS) },
        });
      }
      perClient.set(client, mine + 1);
      held++;
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        held--;
        const left = (perClient.get(client) ?? 1) - 1;
        if (left === 0) perClient.delete(client);
        else perClient.set(client, left);
      };
    },
    held: () => held,
    clients: () => perClient.size,
  };
}
