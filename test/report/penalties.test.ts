import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_PENALTIES, finding } from '../../src/report/penalties.js';
import { sentence } from '../../src/report/sentences/sentences.js';

describe('the penalty table', () => {
  it('charges a fail in full, a warn half, and nothing else', () => {
    const said = sentence('spf.dns-off');
    expect([finding('spf', 'fail', said), finding('spf', 'warn', said), finding('spf', 'info', said), finding('spf', 'pass', said)].map((check) => check.penalty))
      .toEqual([2, 1, 0, 0]);
  });

  it('is in README.md exactly: every check id with what its fail and its warn cost', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const cost = (cell: string) => (cell === '—' ? null : Number(cell));
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| .* \| ([\d.]+|—) \/ ([\d.]+|—) \|$/gm)].map(([, id = '', fail = '', warn = '']) => {
      const [failCost, warnCost] = [cost(fail), cost(warn)];
      if (failCost !== null && warnCost !== null) expect(warnCost, id).toBe(failCost / 2);
      return [id, failCost ?? (warnCost === null ? 0 : warnCost * 2)];
    });
    expect(Object.fromEntries(rows)).toEqual(CHECK_PENALTIES);
  });
});
