import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { WorkerPool } from './pool.js';

/** Whether the parse workers are ready for the first read; /healthz answers "starting" until they are. */
export interface Warmth {
  isWarm(): boolean;
  /** Resolves once the workers are warm, or once warming failed or overran its limit: the server then serves cold rather than stay "starting". */
  settled: Promise<void>;
}

/** What warming the parse workers needs. */
export interface WarmStartOptions {
  pool: Pick<WorkerPool, 'warm'>;
  clock: Clock;
  log: Logger;
  /** Longest the server stays "starting" for the workers' sake. */
  limitMs: number;
}

/**
 * Warms the parse workers and logs one line when they are, with the time it
 * took. Never fails and never waits past `limitMs`: a server whose workers
 * load slowly or not at all still serves, each first read paying for its own
 * loading as it did before warming existed, and the line says so.
 */
export function warmParseWorkers({ pool, clock, log, limitMs }: WarmStartOptions): Warmth {
  const started = clock.now();
  let warm = false;
  const settled = new Promise<void>((resolve) => {
    const settle = (level: 'info' | 'warn', failures: string[], message: string) => {
      if (warm) return;
      warm = true;
      cancelLimit();
      log[level]({ event: 'workers_warm', ms: Math.round(clock.now() - started), failures }, message);
      resolve();
    };
    const cancelLimit = clock.schedule(limitMs, () =>
      settle('warn', [], `the parse workers were not warm after ${limitMs / 1_000} s; serving anyway, so the first reads may be slow`));
    void pool.warm().then((replies) => {
      const failures = replies.flatMap((reply) => reply.failure === null ? [] : [reply.failure]);
      const ms = Math.round(clock.now() - started);
      if (failures.length === 0) settle('info', failures, `parse workers warm in ${ms} ms`);
      else settle('warn', failures, `the parse workers could not load everything a read needs (${failures.join('; ')}); serving anyway, so the first reads may be slow`);
    });
  });
  return { isWarm: () => warm, settled };
}
