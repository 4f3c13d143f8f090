import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shippedNodeOptions } from '../support/shipped-command.js';

const probe = fileURLToPath(new URL('heap-probe.ts', import.meta.url));

/** Full collections (mark-compacts) in a process that parses `parses` messages in one worker. */
function markCompacts(parses: number): number {
  const trace = execFileSync(process.execPath, [...shippedNodeOptions(), '--trace-gc', '--import', 'tsx', probe, String(parses)], { encoding: 'utf8' });
  return trace.split('\n').filter((line) => line.includes('Mark-Compact')).length;
}

describe('parse workers under the image\'s heap flags', () => {
  it('start from V8\'s own heap sizing, not the main thread\'s larger one, so their garbage is collected early', () => {
    expect(shippedNodeOptions().some((option) => option.startsWith('--initial-old-space-size='))).toBe(true);
    // The main thread of the probe stays far below its 56 MB, so every full collection is the worker's;
    // with the main thread's sizing the worker would run none over these parses.
    expect(markCompacts(800)).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
