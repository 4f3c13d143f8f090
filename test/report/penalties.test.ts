import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_PENALTIES, finding } from '../../src/report/penalties.js';

describe('the penalty table', () => {
  it('charges a fail in full, a warn half, and nothing else', () => {
    expect([finding('spf', 'fail', '.'), finding('spf', 'warn', '.'), finding('spf', 'info', '.'), finding('spf', 'pass', '.')].map((check) => check.penalty))
      .toEqual([2, 1, 0, 0]);
  });

  it('is in README.md exactly: every check id with the penalty of its fail', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| .* \| ([\d.]+)(?: \(only (?:warns|informs)\))? \|$/gm)]
      .map(([, id, penalty]) => [id, Number(penalty)]);
    expect(Object.fromEntries(rows)).toEqual(CHECK_PENALTIES);
  });
});
