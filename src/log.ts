import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on standard output, one line an event. Written
 * asynchronously: a synchronous write per accepted message cost the SMTP
 * thread 8% at full ingest (BENCHMARKS.md). What is buffered is flushed when
 * the process exits.
 */
export function createLogger(level: LogLevel): Logger {
  if (level === 'silent') return pino({ level });
  const destination = pino.destination({ sync: false });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing was ever written, so there is nothing to flush.
    }
  });
  return pino({ level, base: { service: 'ephemail' } }, destination);
}
