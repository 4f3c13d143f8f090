/**
 * Which queue a job waits in. Digests are what listings, live feeds and
 * waits need: small, and bounded by the lean digest. Reads are full parses
 * and HTML renders, which a client chooses and which may take a second each.
 */
export type Lane = 'digest' | 'read';

/** Thrown when a lane holds as many jobs as it takes: the caller is told to come back rather than queued without end. */
export class WorkersBusyError extends Error {
  constructor(lane: Lane) {
    super(`the parse workers have as many ${lane} jobs waiting as they take`);
    this.name = 'WorkersBusyError';
  }
}

/** Jobs waiting for a worker thread, in two lanes. */
export interface JobQueue<T> {
  /**
   * Queues `item` at the back of `lane`; false when the lane is full. If
   * `signal` aborts while the item still waits, it leaves the queue and
   * `onCancel` is called (at once when the signal has already aborted).
   */
  add(lane: Lane, item: T, signal: AbortSignal | undefined, onCancel: () => void): boolean;
  /** The next item to run: the oldest digest, else the oldest read, so reads of big messages never hold up listings. */
  take(): T | undefined;
  /** Takes every waiting item out, for closing. */
  drain(): T[];
}

interface Entry<T> {
  item: T;
  /** Stops listening for the requester leaving: once running, a job runs to its end. */
  stopListening: () => void;
}

/** Makes a queue whose lanes hold at most `maxPerLane` waiting items each. */
export function createJobQueue<T>(maxPerLane: number): JobQueue<T> {
  const lanes: Record<Lane, Array<Entry<T>>> = { digest: [], read: [] };

  function taken(entry: Entry<T>): T {
    entry.stopListening();
    return entry.item;
  }

  return {
    add(lane, item, signal, onCancel) {
      const waiting = lanes[lane];
      if (waiting.length >= maxPerLane) return false;
      if (signal?.aborted) {
        onCancel();
        return true;
      }
      const cancel = () => {
        const at = waiting.indexOf(entry);
        if (at < 0) return;
        waiting.splice(at, 1);
        onCancel();
      };
      const entry: Entry<T> = { item, stopListening: () => signal?.removeEventListener('abort', cancel) };
      signal?.addEventListener('abort', cancel, { once: true });
      waiting.push(entry);
      return true;
    },
    take() {
      const entry = lanes.digest.shift() ?? lanes.read.shift();
      return entry === undefined ? undefined : taken(entry);
    },
    drain: () => [...lanes.digest.splice(0), ...lanes.read.splice(0)].map(taken),
  };
}
