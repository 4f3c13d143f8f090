import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/** Structured JSON logs on standard output, one line an event. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'ephemail' } });
}
