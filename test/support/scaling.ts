import { expect } from 'vitest';
import { exposedGc } from './gc.js';

/**
 * Complexity checks that a busy machine cannot fail. A fixed time budget
 * fails when other processes take the CPU, and passes a quadratic path on a
 * fast machine; the ratio of the times at n and at 8n does neither: about 8
 * for linear work (less where fixed costs dominate), 64 for quadratic, and
 * load that slows both sizes alike cancels out.
 */

const FACTOR = 8;
// Well above linear (8), well below quadratic (64): room for noise, and for the
// slightly worse than linear growth of nested CSS rules (about n^1.25, 13 at 8n).
const LINEAR_BOUND = FACTOR * 3;
// Runs alternate sizes, so a burst of load lands on both; the median drops the odd run it hit alone.
const RUNS = 5;
// A run shorter than this is repeated and averaged: timer resolution and one GC pause would swamp it.
const MIN_RUN_MS = 25;

// A collection before each run, so no run pays for the garbage of the one before.
const gc = exposedGc();

/**
 * Fails unless `work` on `build(8 * size)` takes well under 64 times as long
 * as on `build(size)`. The inputs are built before any timing.
 */
export function expectLinear<T>(build: (size: number) => T, work: (input: T) => unknown, size: number): void {
  const small = build(size);
  const large = build(size * FACTOR);
  // The first call compiles and warms caches, which is no part of either size's cost.
  work(small);
  const smallRuns: number[] = [];
  const largeRuns: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    smallRuns.push(perCallMs(() => work(small)));
    largeRuns.push(perCallMs(() => work(large)));
  }
  const smallMs = median(smallRuns);
  const largeMs = median(largeRuns);
  const ratio = largeMs / smallMs;
  expect(ratio, `t(n) ${smallMs.toFixed(1)} ms, t(${FACTOR}n) ${largeMs.toFixed(1)} ms, ratio ${ratio.toFixed(2)}`).toBeLessThan(LINEAR_BOUND);
}

function perCallMs(call: () => void): number {
  gc();
  const started = performance.now();
  let calls = 0;
  let elapsed = 0;
  do {
    call();
    calls++;
    elapsed = performance.now() - started;
  } while (elapsed < MIN_RUN_MS);
  return elapsed / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
