import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A logger at `level` whose JSON lines are kept in `lines`, for tests of what is logged. */
export function capturingLogger(level: 'info' | 'debug'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}
