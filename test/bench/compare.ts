/**
 * `npm run bench:compare -- [--rounds N] [--message 10k|200k] <checkout>... [bare]` —
 * which of several versions of Ephemail costs less per message at ingest
 * (10 KB text + HTML mail unless told, or the 200 KB mail with a PDF).
 *
 * On a shared machine one full run of each version cannot tell a 10% change
 * from the neighbours' load: the same code moves by a third between runs. So
 * this alternates the versions, one short ingest each per round (a fresh
 * server, the ingest scenario's warm-up, then 4,800 messages over 8
 * sessions), and prints each version's median rate and server CPU time per
 * message. "bare" adds the bare smtp-server of this checkout as a
 * yardstick. The machine also drifts between rounds (the same code's CPU
 * per message clustered near 350 and near 460 µs in one sitting), so each
 * version after the first is also given as the median of its difference from
 * the first within each round.
 *
 * A checkout is a directory holding this repository at some commit, e.g.
 * `git worktree add /tmp/before HEAD~1 && ln -s "$PWD/node_modules" /tmp/before/`;
 * its compiled server must answer the benchmark's IPC (test/bench/ipc.ts) as
 * this one does. Each is compiled first, as `npm run bench` compiles its own.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServerChild, ROOT, startLoad, startServer, type LoadHandle } from './children.js';
import { warmUpFreshServer } from './ingest-warmup.js';
import type { MessageKind } from './messages.js';
import { makePlan } from './plan.js';
import { BENCH_FLAGS } from './scenario-support.js';
import { median } from './stats.js';

// The full benchmark's plan: its session count and warm-up.
const PLAN = makePlan(false, null, 'info');
const PER_CONNECTION = 600;

interface Sample {
  rate: number;
  cpuUs: number;
}

const KIND_OF_OPTION: Record<string, MessageKind> = { '10k': 'text10k', '200k': 'pdf200k' };

async function measure(load: LoadHandle, version: string, kind: MessageKind): Promise<Sample> {
  const server = version === 'bare' ? await startServer('bare') : await startServer('ephemail', BENCH_FLAGS, { checkout: version });
  try {
    const params = { port: server.smtpPort, kind, connections: PLAN.connections, warmupPerConnection: 0, inboxes: 400 };
    await warmUpFreshServer(load, server, PLAN, kind, params);
    const before = await server.mark();
    const result = await load.run('ingest', { ...params, perConnection: PER_CONNECTION, prefix: 'ingest' });
    const after = await server.mark();
    if (result.errors > 0) throw new Error(`${version}: ${result.errors} SMTP error(s), first: ${result.firstError ?? '?'}`);
    const cpuUs = (after.cpuUs - before.cpuUs) / result.sent;
    if (!Number.isFinite(cpuUs)) throw new Error(`${version}: its server reports no CPU time; checkouts before b3b2cab cannot be compared`);
    return { rate: result.messagesPerSecond, cpuUs };
  } finally {
    await server.stop();
  }
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(0)}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { rounds: { type: 'string', default: '6' }, message: { type: 'string', default: '10k' } },
    allowPositionals: true,
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number from 1, not ${values.rounds}`);
  const kind = KIND_OF_OPTION[values.message];
  if (kind === undefined) throw new Error(`--message takes 10k or 200k, not ${values.message}`);
  const versions = positionals.map((version) => (version === 'bare' ? version : resolve(version)));
  if (versions.length === 0) throw new Error('name at least one checkout to compare (or "bare")');
  const checkouts = new Set([resolve(ROOT), ...versions.filter((version) => version !== 'bare')]);
  for (const checkout of checkouts) buildServerChild(checkout);
  const samples = new Map<string, Sample[]>(versions.map((version) => [version, []]));
  const load = startLoad();
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const version of versions) {
        const sample = await measure(load, version, kind);
        samples.get(version)?.push(sample);
        process.stderr.write(`round ${round}/${rounds} ${version}: ${sample.rate.toFixed(0)} msg/s, ${sample.cpuUs.toFixed(0)} µs CPU per message\n`);
      }
    }
  } finally {
    load.close();
  }
  const first = samples.get(versions[0] ?? '') ?? [];
  process.stdout.write('| version | msg/s (median) | server CPU per message (median) | against the first, same round (median) | CPU per message, each round |\n|---|--:|--:|--:|---|\n');
  for (const [version, taken] of samples) {
    const rate = median(taken.map((sample) => sample.rate));
    const cpu = median(taken.map((sample) => sample.cpuUs));
    const paired = taken === first ? '' : `${signed(median(taken.map((sample, round) => sample.cpuUs - (first[round]?.cpuUs ?? NaN))))} µs`;
    process.stdout.write(`| ${version} | ${rate.toFixed(0)} | ${cpu.toFixed(0)} µs | ${paired} | ${taken.map((sample) => sample.cpuUs.toFixed(0)).join(', ')} |\n`);
  }
}

await main();
