import type { Clock } from '../../src/runtime/clock.js';

/** A clock that moves only when a test says so; due timers fire in time order. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Timers waiting to fire. */
  pending(): number;
}

export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { due: number; callback: () => void }>();

  function nextDue(limit: number): [number, { due: number; callback: () => void }] | undefined {
    let best: [number, { due: number; callback: () => void }] | undefined;
    for (const entry of timers) {
      if (entry[1].due <= limit && (best === undefined || entry[1].due < best[1].due)) best = entry;
    }
    return best;
  }

  return {
    now: () => now,
    schedule(delayMs, callback) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, delayMs), callback });
      return () => timers.delete(id);
    },
    advance(ms) {
      const target = now + ms;
      for (let due = nextDue(target); due !== undefined; due = nextDue(target)) {
        timers.delete(due[0]);
        now = due[1].due;
        due[1].callback();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}
