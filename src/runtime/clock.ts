/**
 * Time as the rest of the code sees it. Injected everywhere that reads the time
 * or waits, so tests can move time forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, callback: () => void): () => void;
}

/**
 * The real clock. It reads wall time once at start and then moves with the
 * monotonic clock, so a wall-clock jump neither expires all mail at once nor
 * keeps it forever. Its timers never keep the process alive by themselves.
 */
export function createSystemClock(): Clock {
  const origin = Date.now() - performance.now();
  return {
    now: () => origin + performance.now(),
    schedule(delayMs, callback) {
      const timer = setTimeout(callback, delayMs);
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
