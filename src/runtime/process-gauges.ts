import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/**
 * How often the event loop's delay is sampled: often enough to see a stall of
 * tens of milliseconds, rarely enough to cost nothing an idle server would notice.
 */
export const LOOP_SAMPLE_MS = 20;
const NS_PER_SECOND = 1e9;

/** The process's own gauges; close() stops sampling the event loop. */
export interface ProcessGauges {
  close(): void;
}

/**
 * Gauges of the process itself, read at each scrape of /metrics, that a leak
 * or a blocked loop would show (the soak run, `npm run soak`, watches them):
 * - `ephemail_active_resources{type}`: what keeps the event loop alive, by
 *   type (`Timeout`, `TCPSocketWrap`, `FSReqCallback`, …), from
 *   process.getActiveResourcesInfo(). Timers made with unref() are not
 *   counted; one that leaked would show in memory instead.
 * - `ephemail_event_loop_delay_seconds{quantile}`: the event loop's delay
 *   since the previous scrape, median (0.5), 0.99 and the longest (1). Each
 *   scrape starts the next window, so a second scraper shortens the first's.
 */
export function registerProcessGauges(registry: Registry): ProcessGauges {
  const registers = [registry];
  const delay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  delay.enable();
  new Gauge({
    name: 'ephemail_active_resources', labelNames: ['type'], registers,
    help: 'Resources keeping the event loop alive, by type (process.getActiveResourcesInfo(); timers made with unref() are not counted).',
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const [type, count] of counts) this.set({ type }, count);
    },
  });
  new Gauge({
    name: 'ephemail_event_loop_delay_seconds', labelNames: ['quantile'], registers,
    help: 'Event-loop delay since the previous scrape: median (0.5), 0.99 and the longest (1).',
    collect() {
      // The monitor records the time from one sample to the next, the sampling interval included;
      // an empty window (two scrapes within one sample) reads as no delay, not as NaN.
      const seconds = (nanoseconds: number) => (delay.count === 0 ? 0 : Math.max(0, nanoseconds - LOOP_SAMPLE_MS * 1e6) / NS_PER_SECOND);
      this.set({ quantile: '0.5' }, seconds(delay.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(delay.percentile(99)));
      this.set({ quantile: '1' }, seconds(delay.max));
      delay.reset();
    },
  });
  return { close: () => delay.disable() };
}
