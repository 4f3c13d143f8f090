/**
 * `npm run bench` — Ephemail's benchmark, on loopback, in one process tree:
 * this process orchestrates; the load generator and each server under test
 * run in child processes of their own.
 *
 *   npm run bench                 full run, 3 repeats, medians; exits 0 whatever the targets say
 *   npm run bench -- --quick      smoke test for CI (< 1 min); exits 1 on errors, never on speed
 *   npm run bench -- --profile    CPU profile of the server during ingest, top self-time functions
 *   npm run bench -- --temp-redis plain|aof   the cross-instance scenarios on a redis-server started for the run
 *   npm run bench -- --store redis://host:port/db   the same on a running Redis (its database is flushed before each scenario)
 *   options: --runs N, --only ingest,readers,fanout,memory,flood,redis-ingest,cross,first-read, --log-level LEVEL,
 *            --data-dir (ingest also into a memory store kept in a temporary data directory, as a ratio to memory only)
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildServerChild, startLoad } from './children.js';
import { makePlan, type Context, type Figures, type Plan } from './plan.js';
import { profileIngest } from './profile.js';
import { profileRedis } from './profile-redis.js';
import { judge, medians, table } from './report.js';
import { openStoreTarget, type StoreTarget } from './redis-target.js';
import { defaultScenarios, SCENARIOS, type ScenarioName } from './scenarios.js';
import { MB } from './stats.js';

// Which code was measured: the tree changes under a benchmark, so results name the commit and whether it was dirty.
function revision(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+dirty` : commit;
  } catch {
    return 'unknown';
  }
}

function machine(): Record<string, string | number> {
  return {
    cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1024 / MB),
    node: process.version, loadAverage1m: Number(loadavg()[0]?.toFixed(2)), revision: revision(),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      store: { type: 'string', default: 'memory' },
      'data-dir': { type: 'boolean', default: false },
      'temp-redis': { type: 'string' },
    },
  });
  const runs = values.runs === undefined ? null : Number(values.runs);
  if (runs !== null && !(Number.isInteger(runs) && runs >= 1 && runs <= 20)) throw new Error(`--runs must be a whole number from 1 to 20, not ${values.runs}`);
  if (values['data-dir'] && (values.store !== 'memory' || values['temp-redis'] !== undefined)) throw new Error('--data-dir measures the memory store kept on disk; leave --store and --temp-redis out');
  const onRedis = values.store !== 'memory' || values['temp-redis'] !== undefined;
  const names = (values.only?.split(',') ?? defaultScenarios(onRedis)) as ScenarioName[];
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; use ${Object.keys(SCENARIOS).join(', ')}`);
  const needRedis = names.filter((name) => SCENARIOS[name].redisOnly);
  if (!onRedis && needRedis.length > 0) throw new Error(`${needRedis.join(', ')}: these run on Redis; add --temp-redis plain or --store redis://host:port/db`);
  const note = (text: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(0)}s] ${text}\n`);
  note('compiling the servers under test to JavaScript, as shipped (tsc -p tsconfig.bench.json)');
  buildServerChild();
  const target = await openStoreTarget(values.store ?? 'memory', values['temp-redis']);
  try {
    const plan = makePlan(values.quick ?? false, runs, values['log-level'] ?? 'info', target.store, values['data-dir'] ?? false);
    if (values.profile) {
      await (plan.store === 'memory' ? profileIngest : profileRedis)(plan, note);
      return 0;
    }
    return await measure(plan, target, names, note);
  } finally {
    await target.stop();
  }
}

/** Runs the scenarios, prints the table and the JSON line, and says what the process should exit with. */
async function measure(plan: Plan, target: StoreTarget, names: ScenarioName[], note: Context['note']): Promise<number> {
  note(`store: ${target.name}`);
  const load = startLoad();
  const ctx: Context = { plan, load, errors: [], note };
  const results: Figures[] = [];
  const started = performance.now();
  try {
    // Runs are interleaved (every scenario, then again) so a noisy minute on a shared machine hits one sample, not one scenario.
    for (let run = 1; run <= plan.runs; run++) {
      const figures: Figures = {};
      for (const name of names) {
        if (run > 1 && !SCENARIOS[name].repeat) continue;
        note(`run ${run}/${plan.runs}: ${name}`);
        try {
          await target.empty();
          Object.assign(figures, await SCENARIOS[name].run(ctx));
        } catch (error) {
          ctx.errors.push(`${name} (run ${run}) failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      results.push(figures);
    }
  } finally {
    load.close();
  }

  const summary = medians(results);
  const verdicts = judge(summary);
  const mode = plan.quick ? 'quick' : 'full';
  const host = machine();
  process.stdout.write(`\nEphemail benchmark (${mode}, ${plan.runs} run(s), medians) — ${host.cpus} CPUs, Node ${host.node}, `
    + `load average ${host.loadAverage1m} at the end, code ${host.revision}, store ${target.name}\n\n`);
  process.stdout.write(`${table(verdicts)}\n\n`);
  if (ctx.errors.length > 0) process.stdout.write(`ERRORS:\n${ctx.errors.map((error) => `  - ${error}`).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify({
    bench: 'ephemail', mode, store: target.name, seconds: Math.round((performance.now() - started) / 1000), machine: host,
    medians: summary, runs: results, failedTargets: verdicts.failed, errors: ctx.errors,
  })}\n`);
  // Speed never fails the run; in --quick, correctness errors do, so CI catches a broken path.
  return plan.quick && ctx.errors.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
