import { median } from '../bench/stats.js';
import type { Sample } from './soak-server.js';

// Warm-up is the first fifth of the run, and at least the two minutes in which
// the JIT settles, the store fills up to --memory-limit and the caches of
// parsed mail, HTML and summaries fill (BENCHMARKS.md, Soak). The first
// quarter of the rest is compared with its last quarter: in 30 minutes,
// 6-12 min against 24-30 min.
const WARM_UP_SHARE = 0.2;
const WARM_UP_MIN_S = 120;
const WINDOW_SHARE = 0.25;
// Resident memory may end at most this much above where it was after warm-up.
const RSS_GROWTH = 0.1;
// Descriptors and timers follow the connections open at the moment of a
// sample; a median may move by this much (or 10%) without anything leaking.
const COUNT_SLACK = 5;

/** A sample of the server with what the load did over the same ten seconds. */
export interface Row extends Sample {
  /** Messages that got 250 per second since the previous sample. */
  sentPerS: number;
  /** CPU time of the load generator (this process) since the previous sample, in per cent of one core. */
  loadCpuPct: number;
}

/** One pass/fail line of the verdict. */
export interface Check {
  what: string;
  /** The figure after warm-up and at the end (medians of their windows); an error count has only `last`. */
  first: number | null;
  last: number;
  limit: string;
  pass: boolean;
}

/** The samples of the first window after warm-up and of the last window. */
export function windows(samples: readonly Sample[], durationS: number): { first: Sample[]; last: Sample[] } {
  const from = Math.max(durationS * WARM_UP_SHARE, WARM_UP_MIN_S);
  const window = (durationS - from) * WINDOW_SHARE;
  return {
    first: samples.filter((sample) => sample.atS >= from && sample.atS < from + window),
    last: samples.filter((sample) => sample.atS >= durationS - window),
  };
}

function medianOf(samples: readonly Sample[], figure: (sample: Sample) => number): number {
  return median(samples.map(figure));
}

/** Memory, descriptors and timers: the last window's median against the first's. */
export function growthChecks(samples: readonly Sample[], durationS: number): Check[] {
  const { first, last } = windows(samples, durationS);
  if (first.length === 0 || last.length === 0) {
    return [{ what: 'samples in both windows', first: first.length, last: last.length, limit: '>= 1 each (run longer)', pass: false }];
  }
  const rss = { first: medianOf(first, (s) => s.rssMB), last: medianOf(last, (s) => s.rssMB) };
  const counted = (what: string, figure: (sample: Sample) => number): Check => {
    const before = medianOf(first, figure);
    const after = medianOf(last, figure);
    const allowed = Math.max(COUNT_SLACK, before * RSS_GROWTH);
    return { what, first: before, last: after, limit: `<= first + ${allowed.toFixed(1)}`, pass: after <= before + allowed };
  };
  return [
    { what: 'RSS, MB (median)', ...rss, limit: `<= first x ${1 + RSS_GROWTH}`, pass: rss.last <= rss.first * (1 + RSS_GROWTH) },
    counted('open file descriptors (median)', (s) => s.fds),
    counted('timers keeping the loop alive (median)', (s) => s.timers),
    counted('all resources keeping the loop alive (median)', (s) => Object.values(s.resources).reduce((sum, count) => sum + count, 0)),
  ];
}

/** An error count that must be zero. */
export function noErrors(what: string, count: number): Check {
  return { what, first: null, last: count, limit: '0', pass: count === 0 };
}

const cell = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Every sample, one row each, as a Markdown table. */
export function sampleTable(rows: readonly Row[]): string {
  const lines = rows.map((r) => `| ${r.atS.toFixed(0)} | ${cell(r.sentPerS)} | ${cell(r.rssMB)} | ${r.fds} | ${r.timers} | ${cell(r.loopP99Ms)} / ${cell(r.loopMaxMs)} `
    + `| ${cell(r.storedMB)} | ${r.storedMessages} | ${r.evicted} | ${cell(r.cpuPct)} | ${cell(r.loadCpuPct)} |`);
  return [
    '| s | sent/s | RSS MB | fds | timers | loop delay p99 / max ms | stored MB | stored messages | evicted | server CPU % | load CPU % |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...lines,
  ].join('\n');
}

/** The checks as a Markdown table. */
export function checkTable(checks: readonly Check[]): string {
  const rows = checks.map((c) => `| ${c.what} | ${c.first === null ? '' : cell(c.first)} | ${cell(c.last)} | ${c.limit} | ${c.pass ? 'PASS' : 'FAIL'} |`);
  return ['| check | after warm-up | at the end | limit | |', '|---|--:|--:|---|---|', ...rows].join('\n');
}
