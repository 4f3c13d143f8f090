import type { Clock } from '../../runtime/clock.js';

/** What one sweep did: how many copies it removed, and the oldest expiresAt left (null when none). */
export interface SweepResult {
  removed: number;
  next: number | null;
}

/** Options of the expiry sweeper. */
export interface SweeperOptions {
  clock: Clock;
  /** Removes copies that expired before `now`, at most `limit` of them, atomically in Redis. */
  sweep: (now: number, limit: number) => Promise<SweepResult>;
  onError: (error: unknown) => void;
}

/** Drives expiry: one timer, aimed just past the oldest expiresAt this instance knows of. */
export interface Sweeper {
  /** Makes sure a sweep runs soon after `expiresAt` (a message was added here or elsewhere). */
  expect(expiresAt: number): void;
  /** Sweeps now, which also learns the oldest expiry from Redis (at start and after a reconnect). */
  kick(): void;
  /** Resolves once no sweep is running. */
  idle(): Promise<void>;
  stop(): void;
}

// Removals per script call, so one sweep never blocks Redis for long.
const SWEEP_LIMIT = 500;
// A timer longer than this is re-armed rather than trusted, as in the memory store.
const LONGEST_TIMER_MS = 3_600_000;
// How soon to try again after a sweep failed (Redis away).
const RETRY_MS = 1_000;

/**
 * Every instance runs one. Each arms its timer for every message it hears
 * of, so expiry goes on while any instance lives; the sweep script is atomic,
 * so when several fire together exactly one removes each copy and publishes
 * its `expired` event, and the others find nothing to do.
 */
export function createSweeper({ clock, sweep, onError }: SweeperOptions): Sweeper {
  let armedFor: number | null = null;
  let cancelTimer: (() => void) | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function arm(due: number): void {
    if (stopped || (armedFor !== null && armedFor <= due)) return;
    cancelTimer?.();
    const delay = Math.min(Math.max(1, due - clock.now()), LONGEST_TIMER_MS);
    armedFor = clock.now() + delay;
    cancelTimer = clock.schedule(delay, () => {
      armedFor = null;
      cancelTimer = null;
      run();
    });
  }

  async function loop(): Promise<void> {
    for (;;) {
      const result = await sweep(clock.now(), SWEEP_LIMIT);
      if (result.removed >= SWEEP_LIMIT) continue;
      // Expired while this sweep ran (a test clock moves in jumps): sweep again rather than wait.
      if (result.next !== null && result.next < clock.now()) continue;
      // A copy is live until its expiresAt has passed, so aim one millisecond beyond it.
      if (result.next !== null) arm(result.next + 1);
      return;
    }
  }

  function run(): void {
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = loop().catch((error: unknown) => {
      if (stopped) return;
      onError(error);
      arm(clock.now() + RETRY_MS);
    }).finally(() => {
      running = null;
      if (again) {
        again = false;
        run();
      }
    });
  }

  return {
    expect(expiresAt) {
      arm(expiresAt + 1);
    },
    kick: run,
    async idle() {
      while (running !== null) await running;
    },
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = null;
      armedFor = null;
    },
  };
}
