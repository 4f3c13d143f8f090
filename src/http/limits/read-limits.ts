import type { Context } from 'hono';
import { ApiProblem } from '../problem.js';
import type { HttpLimits } from './limits.js';
import { createSlotLimits, type SlotLimits } from './slot-limits.js';

/**
 * Reads one client may have in flight: a listing, a message in full, its
 * HTML, text or an attachment, each of which may wait for parse workers (a
 * listing for up to four digests at a time). A browser opens at most 6
 * connections to a host, so one reader never meets it; a client that opens
 * more is asking for more than its share of the workers.
 */
const MAX_READS_PER_CLIENT = 8;
// A read that waits for a worker takes milliseconds, a second for the biggest HTML.
const RETRY_AFTER_SECONDS = 2;

/** Counts the reads each client has in flight. */
export type ReadLimits = SlotLimits;

/**
 * Refuses a client's read past MAX_READS_PER_CLIENT with 429. The total is
 * bounded where the work waits: the parse workers' queue (src/worker/job-queue.ts).
 */
export function createReadLimits(): ReadLimits {
  return createSlotLimits({
    perClient: {
      max: MAX_READS_PER_CLIENT,
      refusal: new ApiProblem(429, 'Too Many Requests', `Your address already has ${MAX_READS_PER_CLIENT} reads of messages or listings in flight at once, the most allowed; wait for one to finish, then try again in ${RETRY_AFTER_SECONDS} seconds.`, {
        code: 'too_many_reads', headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      }),
    },
  });
}

/**
 * Runs a read that may wait for parse workers within the client's share of
 * reads in flight, and only for as long as the client waits: `signal`
 * aborts when it hangs up.
 */
export async function withinReadShare<T>(limits: Pick<HttpLimits, 'reads' | 'clientOf'>, c: Context, read: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const leave = await limits.reads.enter(limits.clientOf(c));
  try {
    return await read(c.req.raw.signal);
  } finally {
    leave();
  }
}
