import type { Figures } from './plan.js';
import { median } from './stats.js';

type Verdict = 'PASS' | 'FAIL' | '';

interface Row {
  label: string;
  /** The median figure shown, computed from the medians of every run. */
  value: (m: Figures) => number;
  unit: string;
  target?: { text: string; pass: (m: Figures) => boolean };
}

const get = (m: Figures, key: string) => m[key] ?? NaN;

const ROWS: Row[] = [
  { label: 'ingest 10 KB, bare smtp-server', value: (m) => get(m, 'ingest.text10k.bare.rate'), unit: 'msg/s' },
  {
    label: 'ingest 10 KB, Ephemail', value: (m) => get(m, 'ingest.text10k.ephemail.rate'), unit: 'msg/s',
    target: { text: '>= 2,000 msg/s', pass: (m) => get(m, 'ingest.text10k.ephemail.rate') >= 2_000 },
  },
  {
    label: 'ingest 10 KB, Ephemail / bare', value: (m) => get(m, 'ingest.text10k.ratio') * 100, unit: '%',
    target: { text: '>= 70%', pass: (m) => get(m, 'ingest.text10k.ratio') >= 0.7 },
  },
  { label: 'ingest 10 KB, 250 reply p50 / p99', value: (m) => get(m, 'ingest.text10k.ephemail.p50'), unit: 'ms', },
  { label: 'ingest 10 KB, server CPU per message: bare / Ephemail', value: (m) => get(m, 'ingest.text10k.bare.cpuUs'), unit: 'µs' },
  { label: 'ingest 10 KB, server CPU per message, Ephemail / bare', value: (m) => get(m, 'ingest.text10k.cpuRatio'), unit: 'x' },
  { label: 'ingest 10 KB, Ephemail with --data-dir', value: (m) => get(m, 'ingest.text10k.dataDir.rate'), unit: 'msg/s' },
  { label: 'ingest 10 KB, with --data-dir / memory only: rate, server CPU per message', value: (m) => get(m, 'ingest.text10k.dataDirRatio') * 100, unit: '%' },
  { label: 'ingest 200 KB, bare smtp-server', value: (m) => get(m, 'ingest.pdf200k.bare.rate'), unit: 'msg/s' },
  { label: 'ingest 200 KB, Ephemail', value: (m) => get(m, 'ingest.pdf200k.ephemail.rate'), unit: 'msg/s' },
  {
    label: 'ingest 200 KB, Ephemail / bare', value: (m) => get(m, 'ingest.pdf200k.ratio') * 100, unit: '%',
    target: { text: '>= 50%', pass: (m) => get(m, 'ingest.pdf200k.ratio') >= 0.5 },
  },
  { label: 'ingest 200 KB, 250 reply p50 / p99', value: (m) => get(m, 'ingest.pdf200k.ephemail.p50'), unit: 'ms' },
  { label: 'ingest 200 KB, server CPU per message: bare / Ephemail', value: (m) => get(m, 'ingest.pdf200k.bare.cpuUs'), unit: 'µs' },
  { label: 'ingest 200 KB, server CPU per message, Ephemail / bare', value: (m) => get(m, 'ingest.pdf200k.cpuRatio'), unit: 'x' },
  { label: 'ingest 200 KB, Ephemail with --data-dir', value: (m) => get(m, 'ingest.pdf200k.dataDir.rate'), unit: 'msg/s' },
  { label: 'ingest 200 KB, with --data-dir / memory only: rate, server CPU per message', value: (m) => get(m, 'ingest.pdf200k.dataDirRatio') * 100, unit: '%' },
  { label: 'arrival, rate achieved (asked 200)', value: (m) => get(m, 'arrival.achievedRate'), unit: 'msg/s' },
  { label: 'arrival at 200 msg/s, p50', value: (m) => get(m, 'arrival.p50'), unit: 'ms' },
  {
    label: 'arrival at 200 msg/s, p99', value: (m) => get(m, 'arrival.p99'), unit: 'ms',
    target: { text: '<= 20 ms', pass: (m) => get(m, 'arrival.p99') <= 20 },
  },
  { label: 'arrival at 200 msg/s, max', value: (m) => get(m, 'arrival.max'), unit: 'ms' },
  { label: 'wait, p50', value: (m) => get(m, 'wait.p50'), unit: 'ms' },
  {
    label: 'wait, p99', value: (m) => get(m, 'wait.p99'), unit: 'ms',
    target: { text: '<= 20 ms', pass: (m) => get(m, 'wait.p99') <= 20 },
  },
  { label: 'wait, of which end of DATA -> 250 reply (digest, event), p50 / p99', value: (m) => get(m, 'wait.toReplyP50'), unit: 'ms' },
  { label: 'memory, raw bytes per message', value: (m) => get(m, 'memory.rawPerMessage'), unit: 'B' },
  { label: 'memory, store count per message', value: (m) => get(m, 'memory.storePerMessage'), unit: 'B' },
  { label: 'memory, heap per message', value: (m) => get(m, 'memory.heapPerMessage'), unit: 'B' },
  {
    label: 'memory, RSS per message', value: (m) => get(m, 'memory.rssPerMessage'), unit: 'B',
    target: { text: '<= 1.5 x raw + 2 KB', pass: (m) => get(m, 'memory.rssPerMessage') <= get(m, 'memory.budgetPerMessage') },
  },
  { label: 'memory, RSS / heap with all stored', value: (m) => get(m, 'memory.rssMB'), unit: 'MB' },
  { label: 'API list, 50 clients', value: (m) => get(m, 'api.list.rps'), unit: 'req/s' },
  { label: 'API list, p99', value: (m) => get(m, 'api.list.p99'), unit: 'ms' },
  { label: 'API get, 50 clients', value: (m) => get(m, 'api.get.rps'), unit: 'req/s' },
  { label: 'API get, p99', value: (m) => get(m, 'api.get.p99'), unit: 'ms' },
  {
    label: 'fan-out, all subscribers have it', value: (m) => get(m, 'fanout.allMs'), unit: 'ms (median / max)',
    target: { text: '<= 100 ms', pass: (m) => get(m, 'fanout.allMaxMs') <= 100 },
  },
  { label: 'fan-out, first subscriber has it', value: (m) => get(m, 'fanout.firstMs'), unit: 'ms' },
  {
    label: 'idle WebSocket, RSS per connection', value: (m) => get(m, 'fanout.idleBytesPerSocket'), unit: 'B',
    target: { text: '<= 20 KB', pass: (m) => get(m, 'fanout.idleBytesPerSocket') <= 20 * 1024 },
  },
  {
    label: 'flood, peak RSS', value: (m) => get(m, 'flood.peakRssMB'), unit: 'MB',
    // What the flood adds over the process at rest: the RSS before it is the warm parse threads' and the code's, which no flood changes.
    target: { text: '<= RSS before + limit + 75 MB', pass: (m) => get(m, 'flood.peakRssMB') <= get(m, 'flood.idleRssMB') + get(m, 'flood.limitMB') + 75 },
  },
  { label: 'flood, RSS idle before / main heap / main buffers at peak', value: (m) => get(m, 'flood.idleRssMB'), unit: 'MB' },
  { label: 'flood, mail pushed', value: (m) => get(m, 'flood.sentMB'), unit: 'MB' },
  { label: 'flood, throughput', value: (m) => get(m, 'flood.MBps'), unit: 'MB/s' },
  { label: 'flood, messages evicted (expected)', value: (m) => get(m, 'flood.lost'), unit: 'msgs' },
  {
    label: 'flood, SMTP errors', value: (m) => get(m, 'flood.errors'), unit: '',
    target: { text: '0', pass: (m) => get(m, 'flood.errors') === 0 },
  },
  {
    label: 'flood, /healthz probes failed (>1 s)', value: (m) => get(m, 'flood.probeFailures'), unit: '',
    target: { text: '0', pass: (m) => get(m, 'flood.probeFailures') === 0 },
  },
  { label: 'flood, slowest /healthz probe', value: (m) => get(m, 'flood.probeSlowestMs'), unit: 'ms' },
  // The cross-instance scenarios (cross-instance.ts): two instances A and B on one Redis.
  { label: 'Redis: ingest 10 KB into A, memory store / Redis', value: (m) => get(m, 'redis.ingest.text10k.memory.rate'), unit: 'msg/s' },
  {
    label: 'Redis: ingest 10 KB, Redis / memory, same run', value: (m) => get(m, 'redis.ingest.text10k.ratio'), unit: 'x',
    target: { text: '>= 0.5', pass: (m) => get(m, 'redis.ingest.text10k.ratio') >= 0.5 },
  },
  { label: 'Redis: ingest 10 KB, 250 reply p99, memory / Redis', value: (m) => get(m, 'redis.ingest.text10k.memory.p99'), unit: 'ms' },
  { label: 'Redis: ingest 10 KB, server CPU per message, memory / Redis', value: (m) => get(m, 'redis.ingest.text10k.memory.cpuUs'), unit: 'µs' },
  { label: 'Redis: ingest 10 KB, redis-server CPU per message', value: (m) => get(m, 'redis.ingest.text10k.redisServerCpuUs'), unit: 'µs' },
  { label: 'Redis: ingest 200 KB into A, memory store / Redis', value: (m) => get(m, 'redis.ingest.pdf200k.memory.rate'), unit: 'msg/s' },
  { label: 'Redis: ingest 200 KB, Redis / memory, same run', value: (m) => get(m, 'redis.ingest.pdf200k.ratio'), unit: 'x' },
  { label: 'Redis: ingest 200 KB, server CPU per message, memory / Redis', value: (m) => get(m, 'redis.ingest.pdf200k.memory.cpuUs'), unit: 'µs' },
  { label: 'Redis: ingest 200 KB, redis-server CPU per message', value: (m) => get(m, 'redis.ingest.pdf200k.redisServerCpuUs'), unit: 'µs' },
  { label: 'cross-instance arrival (SMTP to A, WebSocket on B) at 200 msg/s, p50', value: (m) => get(m, 'cross.arrival.p50'), unit: 'ms' },
  {
    label: 'cross-instance arrival, p99', value: (m) => get(m, 'cross.arrival.p99'), unit: 'ms',
    target: { text: '<= 20 ms', pass: (m) => get(m, 'cross.arrival.p99') <= 20 },
  },
  { label: 'cross-instance arrival, max', value: (m) => get(m, 'cross.arrival.max'), unit: 'ms' },
  { label: 'cross-instance wait (held on B, mail to A), 30 KB HTML + PDF, p50', value: (m) => get(m, 'cross.wait.pdf30k.p50'), unit: 'ms' },
  {
    label: 'cross-instance wait, 30 KB HTML + PDF, p99', value: (m) => get(m, 'cross.wait.pdf30k.p99'), unit: 'ms',
    target: { text: '<= 20 ms', pass: (m) => get(m, 'cross.wait.pdf30k.p99') <= 20 },
  },
  { label: 'cross-instance wait, 30 KB HTML + PDF, of which end of DATA -> 250 on A, p50 / p99', value: (m) => get(m, 'cross.wait.pdf30k.toReplyP50'), unit: 'ms' },
  { label: 'the same wait held on A itself (no crossing), 30 KB HTML + PDF, p50 / p99', value: (m) => get(m, 'same.wait.pdf30k.p50'), unit: 'ms' },
  { label: 'the same wait on one instance with a memory store, 30 KB HTML + PDF, p50 / p99', value: (m) => get(m, 'memory.wait.pdf30k.p50'), unit: 'ms' },
  { label: 'cross-instance wait, 10 KB text/plain, p50', value: (m) => get(m, 'cross.wait.plain10k.p50'), unit: 'ms' },
  {
    label: 'cross-instance wait, 10 KB text/plain, p99', value: (m) => get(m, 'cross.wait.plain10k.p99'), unit: 'ms',
    target: { text: '<= 20 ms', pass: (m) => get(m, 'cross.wait.plain10k.p99') <= 20 },
  },
  { label: 'fan-out across instances (half the clients on each), all have it', value: (m) => get(m, 'cross.fanout.allMs'), unit: 'ms (median / max)' },
  { label: 'fan-out across instances, first client has it', value: (m) => get(m, 'cross.fanout.firstMs'), unit: 'ms' },
  {
    label: 'first /wait answered on a fresh instance (30 KB HTML + PDF)', value: (m) => get(m, 'first.wait.median'), unit: 'ms (median / max)',
    target: { text: 'max <= 100 ms', pass: (m) => get(m, 'first.wait.max') <= 100 },
  },
  {
    label: 'first message JSON on a fresh instance (30 KB HTML + PDF)', value: (m) => get(m, 'first.json.median'), unit: 'ms (median / max)',
    target: { text: 'max <= 100 ms', pass: (m) => get(m, 'first.json.max') <= 100 },
  },
  { label: 'fresh instance, start to /healthz 200', value: (m) => get(m, 'first.readyMs'), unit: 'ms' },
];

// Further figures shown beside the first in the same cell, e.g. "p50 / p99".
const COMPANIONS: Record<string, ReadonlyArray<(m: Figures) => number>> = {
  'ingest 10 KB, 250 reply p50 / p99': [(m) => get(m, 'ingest.text10k.ephemail.p99')],
  'ingest 200 KB, 250 reply p50 / p99': [(m) => get(m, 'ingest.pdf200k.ephemail.p99')],
  'ingest 10 KB, with --data-dir / memory only: rate, server CPU per message': [(m) => get(m, 'ingest.text10k.dataDirCpuRatio') * 100],
  'ingest 200 KB, with --data-dir / memory only: rate, server CPU per message': [(m) => get(m, 'ingest.pdf200k.dataDirCpuRatio') * 100],
  'ingest 10 KB, server CPU per message: bare / Ephemail': [(m) => get(m, 'ingest.text10k.ephemail.cpuUs')],
  'ingest 200 KB, server CPU per message: bare / Ephemail': [(m) => get(m, 'ingest.pdf200k.ephemail.cpuUs')],
  'wait, of which end of DATA -> 250 reply (digest, event), p50 / p99': [(m) => get(m, 'wait.toReplyP99')],
  'memory, RSS / heap with all stored': [(m) => get(m, 'memory.heapMB')],
  'fan-out, all subscribers have it': [(m) => get(m, 'fanout.allMaxMs')],
  'flood, RSS idle before / main heap / main buffers at peak': [(m) => get(m, 'flood.peakMainHeapMB'), (m) => get(m, 'flood.peakMainBuffersMB')],
  'Redis: ingest 10 KB into A, memory store / Redis': [(m) => get(m, 'redis.ingest.text10k.redis.rate')],
  'Redis: ingest 10 KB, 250 reply p99, memory / Redis': [(m) => get(m, 'redis.ingest.text10k.redis.p99')],
  'Redis: ingest 10 KB, server CPU per message, memory / Redis': [(m) => get(m, 'redis.ingest.text10k.redis.cpuUs')],
  'Redis: ingest 200 KB into A, memory store / Redis': [(m) => get(m, 'redis.ingest.pdf200k.redis.rate')],
  'Redis: ingest 200 KB, server CPU per message, memory / Redis': [(m) => get(m, 'redis.ingest.pdf200k.redis.cpuUs')],
  'cross-instance wait, 30 KB HTML + PDF, of which end of DATA -> 250 on A, p50 / p99': [(m) => get(m, 'cross.wait.pdf30k.toReplyP99')],
  'the same wait held on A itself (no crossing), 30 KB HTML + PDF, p50 / p99': [(m) => get(m, 'same.wait.pdf30k.p99')],
  'the same wait on one instance with a memory store, 30 KB HTML + PDF, p50 / p99': [(m) => get(m, 'memory.wait.pdf30k.p99')],
  'fan-out across instances (half the clients on each), all have it': [(m) => get(m, 'cross.fanout.allMaxMs')],
  'first /wait answered on a fresh instance (30 KB HTML + PDF)': [(m) => get(m, 'first.wait.max')],
  'first message JSON on a fresh instance (30 KB HTML + PDF)': [(m) => get(m, 'first.json.max')],
};

/** Each figure's median over the runs. */
export function medians(runs: Figures[]): Figures {
  const keys = new Set(runs.flatMap((run) => Object.keys(run)));
  return Object.fromEntries([...keys].map((key) => [key, median(runs.map((run) => run[key] ?? NaN))]));
}

function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

export interface Verdicts {
  rows: Array<{ label: string; value: string; unit: string; target: string; verdict: Verdict }>;
  failed: string[];
}

export function judge(m: Figures): Verdicts {
  const rows = ROWS.filter((row) => Number.isFinite(row.value(m))).map((row) => {
    const value = [row.value, ...(COMPANIONS[row.label] ?? [])].map((figure) => format(figure(m))).join(' / ');
    const verdict: Verdict = row.target ? (row.target.pass(m) ? 'PASS' : 'FAIL') : '';
    return { label: row.label, value, unit: row.unit, target: row.target?.text ?? '', verdict };
  });
  return { rows, failed: rows.filter((row) => row.verdict === 'FAIL').map((row) => row.label) };
}

/** A Markdown table, so the same text goes to the terminal and into BENCHMARKS.md. */
export function table(verdicts: Verdicts): string {
  const lines = ['| measurement | median | unit | target | |', '|---|--:|---|---|---|'];
  for (const row of verdicts.rows) lines.push(`| ${row.label} | ${row.value} | ${row.unit} | ${row.target} | ${row.verdict} |`);
  return lines.join('\n');
}
