import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createHttpLimits } from '../../src/http/limits/limits.js';
import { DEFAULT_MAX_TRACKED_CLIENTS } from '../../src/http/limits/rate-limit.js';
import { createManualClock } from '../support/manual-clock.js';
import { quietRefusals } from '../support/refusals.js';

/** The i-th of 16 million distinct IPv4 addresses in 10.0.0.0/8. */
function address(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

describe('the limiter under a flood of addresses', () => {
  it('tracks at most its bound of clients after a million distinct addresses', async () => {
    const clock = createManualClock();
    const limits = createHttpLimits(parseConfig([], {}).http, { clock, refusals: quietRefusals(clock).refusals });
    for (let i = 0; i < 1_000_000; i++) await limits.api.take(address(i));
    expect(limits.api.trackedClients()).toBe(DEFAULT_MAX_TRACKED_CLIENTS);
    // The site budget is the same kind of limiter with the same bound; a fraction of the flood shows it.
    for (let i = 0; i < 2 * DEFAULT_MAX_TRACKED_CLIENTS; i++) await limits.site.take(address(i));
    expect(limits.site.trackedClients()).toBe(DEFAULT_MAX_TRACKED_CLIENTS);
  }, 60_000);

  it('keeps limiting a client that stays busy while the flood goes on', async () => {
    const clock = createManualClock();
    const limits = createHttpLimits({ ...parseConfig([], {}).http, rateBurst: 3 }, { clock, refusals: quietRefusals(clock).refusals }, { maxClients: 1_000 });
    const attacker = '198.51.100.66';
    for (let i = 0; i < 3; i++) expect((await limits.api.take(attacker)).ok).toBe(true);
    for (let i = 0; i < 100_000; i++) {
      await limits.api.take(address(i));
      // Recently seen, so never the one forgotten.
      if (i % 500 === 0) expect((await limits.api.take(attacker)).ok, `after ${i} other addresses`).toBe(false);
    }
    expect(limits.api.trackedClients()).toBe(1_000);
  });
});
