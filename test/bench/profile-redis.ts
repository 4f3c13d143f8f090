import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoad, startServer, type ServerHandle } from './children.js';
import { warmUpFreshServer } from './ingest-warmup.js';
import type { Plan } from './plan.js';
import { threadProfiles, type Window } from './profile.js';
import { BENCH_FLAGS } from './scenario-support.js';

async function between(servers: ServerHandle[], body: () => Promise<string>): Promise<{ windows: Window[]; heading: string }> {
  const from = await Promise.all(servers.map((server) => server.mark()));
  const heading = await body();
  const to = await Promise.all(servers.map((server) => server.mark()));
  return { windows: from.map((mark, i) => ({ from: mark.monotonicUs, to: to[i]?.monotonicUs ?? mark.monotonicUs })), heading };
}

/**
 * `npm run bench -- --profile --temp-redis plain` (or with --store): where
 * the time goes on Redis. Instances A and B on the run's Redis, each under
 * V8's CPU profiler (every thread), through the two figures the issue names:
 * 10 KB ingest into A, then the cross-instance wait for the 30 KB mail with
 * HTML and a PDF (held on B, sent to A). Each thread's profile is cut to each
 * window; warm-ups stay outside.
 */
export async function profileRedis(plan: Plan, note: (text: string) => void): Promise<void> {
  const dirs = ['A', 'B'].map((name) => mkdtempSync(join(tmpdir(), `ephemail-profile-redis-${name}-`)));
  const load = startLoad();
  try {
    // Stopped before the profiles are read: a process writes its profile as it exits.
    const windows = await withProfiled(plan, dirs, async (a, b) => {
      const servers = [a, b];
      const ingestParams = { port: a.smtpPort, kind: 'text10k' as const, connections: plan.connections, warmupPerConnection: 0, inboxes: 400 };
      const waitParams = { smtpPort: a.smtpPort, httpPort: b.httpPort, kind: 'pdf30k' as const, samples: plan.cross.waitSamples };
      note(`profiling 10 KB ingest into A on ${plan.store} (${dirs.join(', ')})`);
      await warmUpFreshServer(load, a, plan, 'text10k', ingestParams);
      const ingested = await between(servers, async () => {
        const result = await load.run('ingest', { ...ingestParams, perConnection: plan.ingest.text10k.perConnection, prefix: 'profile' });
        return `10 KB ingest into A on Redis: ${result.messagesPerSecond.toFixed(0)} msg/s, ${result.errors} errors`;
      });
      note('profiling the cross-instance wait, 30 KB HTML + PDF, held on B, mail to A');
      await load.run('wait', { ...waitParams, samples: 20 });
      const waited = await between(servers, async () => {
        const result = await load.run('wait', waitParams);
        return `cross-instance wait, 30 KB HTML + PDF: p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, ${result.errors} errors`;
      });
      return [ingested, waited];
    });
    for (const { windows: cut, heading } of windows) {
      dirs.forEach((dir, i) => {
        const window = cut[i] as Window;
        process.stdout.write(`\n## ${heading} — instance ${i === 0 ? 'A' : 'B'}, ${((window.to - window.from) / 1e6).toFixed(1)} s — ${dir}\n`);
        process.stdout.write(threadProfiles(dir, window));
      });
    }
  } finally {
    load.close();
  }
}

/** Instances A and B on the plan's Redis under the profiler, each writing its profiles into its directory; both stopped after `body`. */
async function withProfiled<T>(plan: Plan, [dirA, dirB]: string[], body: (a: ServerHandle, b: ServerHandle) => Promise<T>): Promise<T> {
  const flags = ['--log-level', plan.logLevel, '--store', plan.store, ...BENCH_FLAGS];
  const a = await startServer('ephemail', flags, { cpuProfDir: dirA });
  try {
    const b = await startServer('ephemail', flags, { cpuProfDir: dirB });
    try {
      return await body(a, b);
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
  }
}
