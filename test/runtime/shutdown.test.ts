import { describe, expect, it } from 'vitest';
import { createShutdown, FAULT_CLOSE_MS } from '../../src/runtime/shutdown.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock } from '../support/manual-clock.js';

/**
 * The shutdown's decisions, with time moved by hand and a close the test
 * ends when it wants (or never). test/faults/fault-exit.test.ts shows the
 * same in a real process.
 */
function setUp() {
  const clock = createManualClock();
  const { log, lines } = capturingLogger('info');
  // undefined: the server's own drain, which a signal asks for.
  const closes: Array<number | undefined> = [];
  const exits: number[] = [];
  let endClose: (error?: Error) => void = () => {};
  const shutdown = createShutdown({
    log,
    close: (drainMs) => {
      closes.push(drainMs);
      return new Promise<void>((resolve, reject) => { endClose = (error) => (error === undefined ? resolve() : reject(error)); });
    },
    exit: (code) => exits.push(code),
    schedule: (delayMs, callback) => { clock.schedule(delayMs, callback); },
  });
  return { shutdown, clock, lines, closes, exits, endClose: (error?: Error) => endClose(error) };
}

describe('the shutdown', () => {
  it('logs a fault with its stack, closes with a short drain, and exits 1 once closed', async () => {
    const { shutdown, lines, closes, exits, endClose } = setUp();
    shutdown.fault('uncaught exception', new Error('the bug'));
    const [line] = lines;
    expect(line).toMatchObject({ level: 60, event: 'fault', err: { message: 'the bug' } });
    expect((line?.err as { stack: string }).stack).toContain('shutdown.test.ts');
    expect(line?.msg).toMatch(/^uncaught exception: stopping, and exiting with code 1 within 5 s/);
    expect(closes).toEqual([2_000]);
    expect(exits).toEqual([]);
    endClose();
    await expect.poll(() => exits).toEqual([1]);
  });

  it('exits 1 when the close has not ended after FAULT_CLOSE_MS, and not before', () => {
    const { shutdown, clock, exits } = setUp();
    shutdown.fault('unhandled rejection', 'a reason that is no Error');
    clock.advance(FAULT_CLOSE_MS - 1);
    expect(exits).toEqual([]);
    clock.advance(1);
    expect(exits).toEqual([1]);
  });

  it('logs a second fault during the close and changes nothing: one close, the same deadline', () => {
    const { shutdown, clock, lines, closes, exits } = setUp();
    shutdown.fault('uncaught exception', new Error('first'));
    clock.advance(1_000);
    shutdown.fault('uncaught exception', new Error('second, from the close'));
    expect(lines.map((line) => (line.err as { message?: string } | undefined)?.message)).toEqual(['first', 'second, from the close']);
    expect(lines[1]?.msg).toBe('uncaught exception while stopping after an earlier one');
    expect(closes).toHaveLength(1);
    clock.advance(FAULT_CLOSE_MS - 1_000);
    expect(exits).toEqual([1]);
  });

  it('exits 1 when the close fails after a fault', async () => {
    const { shutdown, exits, lines, endClose } = setUp();
    shutdown.fault('uncaught exception', new Error('the bug'));
    endClose(new Error('the store would not close'));
    await expect.poll(() => exits).toEqual([1]);
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'stopping failed', err: { message: 'the store would not close' } });
  });

  it('stops on a signal with the full drain and exits 0; a second signal exits 1 at once', async () => {
    const { shutdown, closes, exits, endClose } = setUp();
    shutdown.stop('SIGTERM');
    expect(closes).toEqual([undefined]);
    shutdown.stop('SIGINT');
    expect(exits).toEqual([1]);
    endClose();
    await expect.poll(() => exits).toEqual([1, 0]);
  });

  it('exits 1, not 0, when a fault comes during a signal\'s close', async () => {
    const { shutdown, closes, exits, endClose } = setUp();
    shutdown.stop('SIGTERM');
    shutdown.fault('uncaught exception', new Error('during the close'));
    expect(closes).toEqual([undefined]);
    endClose();
    await expect.poll(() => exits).toEqual([1]);
  });

  it('bounds a signal\'s close by FAULT_CLOSE_MS once a fault comes during it', () => {
    const { shutdown, clock, exits } = setUp();
    shutdown.stop('SIGTERM');
    clock.advance(3_000);
    shutdown.fault('uncaught exception', new Error('during a slow close'));
    clock.advance(FAULT_CLOSE_MS - 1);
    expect(exits).toEqual([]);
    clock.advance(1);
    expect(exits).toEqual([1]);
  });
});
