import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

export type { Logger } from 'pino';

// Lines are written in batches of this many bytes, or after this long at the
// latest (sonic-boom then writes even when it holds nothing: a zero-byte write
// five times a second, against one per line under load).
const BATCH_BYTES = 4096;
const BATCH_MS = 200;
// How long an exit waits for the last batch; stdout's reader may have stopped reading.
const EXIT_FLUSH_MS = 1_000;

/** A process's logger, and how the process ends once its last lines are out. */
export interface ProcessLog {
  log: Logger;
  /**
   * Ends the process with `code` once the last batch is written, its write
   * has failed, or EXIT_FLUSH_MS passed; the first call decides the code.
   * Never process.exit alone: pino then writes the batch synchronously, and
   * sonic-boom 4 retries a failed synchronous write forever, whatever the
   * error. With stdout a pipe whose reader has gone (`| head`) or stopped
   * reading, the process would hang in its exit, its ports already closed.
   * Written asynchronously, the batch's EPIPE makes pino stop logging
   * instead, and a batch still unwritten after EXIT_FLUSH_MS is dropped
   * (destroy) so that the exit does not retry it.
   */
  exit(code: number): void;
}

/**
 * Structured JSON logs on standard output, one line an event. Written
 * asynchronously and in batches: a write per accepted message cost the SMTP
 * thread 8% at full ingest (BENCHMARKS.md), and each write wakes a libuv
 * thread. A line waits at most BATCH_MS.
 */
export function createProcessLog(level: LogLevel): ProcessLog {
  const destination = level === 'silent' ? null : pino.destination({ sync: false, minLength: BATCH_BYTES, periodicFlush: BATCH_MS });
  const log = destination === null ? pino({ level }) : pino({ level, base: { service: 'ephemail' } }, destination);
  let exiting = false;
  return {
    log,
    exit(code) {
      // A close that ends while a second signal's exit waits does not turn 1 into 0.
      if (exiting) return;
      exiting = true;
      if (destination === null) process.exit(code);
      const timer = setTimeout(() => {
        destination.destroy();
        process.exit(code);
      }, EXIT_FLUSH_MS);
      destination.flush(() => {
        clearTimeout(timer);
        process.exit(code);
      });
    },
  };
}

/** The logger alone, for parts and tests that never end the process. */
export function createLogger(level: LogLevel): Logger {
  return createProcessLog(level).log;
}
