import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

export type { Logger } from 'pino';

// Lines are written in batches of this many bytes, or after this long at the
// latest (sonic-boom then writes even when it holds nothing: a zero-byte write
// five times a second, against one per line under load).
const BATCH_BYTES = 4096;
const BATCH_MS = 200;

/**
 * Structured JSON logs on standard output, one line an event. Written
 * asynchronously and in batches: a write per accepted message cost the SMTP
 * thread 8% at full ingest (BENCHMARKS.md), and each write wakes a libuv
 * thread. A line waits at most BATCH_MS; what is buffered is flushed when
 * the process exits.
 */
export function createLogger(level: LogLevel): Logger {
  if (level === 'silent') return pino({ level });
  const destination = pino.destination({ sync: false, minLength: BATCH_BYTES, periodicFlush: BATCH_MS });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing was ever written, so there is nothing to flush.
    }
  });
  return pino({ level, base: { service: 'ephemail' } }, destination);
}
