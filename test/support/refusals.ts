import { pino } from 'pino';
import { createRefusalLog, type RefusalLog } from '../../src/http/limits/refusal-log.js';
import { createSystemClock, type Clock } from '../../src/runtime/clock.js';
import { createMetrics, type Metrics } from '../../src/runtime/metrics.js';

/** Where refused HTTP connections go in tests that build the HTTP parts by hand: real metrics, a silent log. */
export function quietRefusals(clock: Clock = createSystemClock()): { metrics: Metrics; refusals: RefusalLog } {
  const metrics = createMetrics(async () => ({ messages: 0, bytes: 0 }));
  return { metrics, refusals: createRefusalLog({ metrics, log: pino({ level: 'silent' }), clock }) };
}
