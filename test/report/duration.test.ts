import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/report/duration.js';

describe('humanDuration', () => {
  it.each([
    [0, '0 s'],
    [40, '40 s'],
    [-40, '40 s'],
    [59.4, '59 s'],
    [60, '1 minute'],
    [14 * 60 + 10, '14 minutes'],
    [59 * 60 + 40, '1 h'],
    [2 * 3600 + 5 * 60, '2 h 5 min'],
    [23 * 3600 + 59 * 60 + 50, '24 h'],
    [86_400, '1 day'],
    [3 * 86_400 + 4 * 3600 + 10 * 60, '3 days 4 h'],
  ])('writes %s seconds as "%s"', (seconds, words) => {
    expect(humanDuration(seconds)).toBe(words);
  });
});
