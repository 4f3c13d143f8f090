import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crossScenario, firstReadScenario, redisIngestScenario } from './cross-instance.js';
import { MESSAGE_KINDS } from './messages.js';
import type { Context, Figures } from './plan.js';
import { check, checkDigested, health, INGEST_FIGURES, listInboxes, measureIngest, step, warm, withServer } from './scenario-support.js';
import { MB, sleep } from './stats.js';

/**
 * 1. The same client against a bare discarding smtp-server and against
 * Ephemail, per message size. Besides the rate, the server's CPU time per
 * message: on a shared machine the rate moves with the neighbours' load,
 * while CPU time per message barely does, so it tells a real change from noise.
 *
 * Both servers stay up, and each size is measured bare, Ephemail, bare again,
 * back to back; the ceiling is the mean of the two bare runs, so a load that
 * rises or falls steadily across the three cancels out of the ratio instead
 * of landing on one side of it.
 */
export async function ingestScenario(ctx: Context): Promise<Figures> {
  const figures: Figures = {};
  await withServer(ctx, 'bare', [], (bare) => withServer(ctx, 'ephemail', [], async (ephemail) => {
    for (const kind of MESSAGE_KINDS) {
      const before = await measureIngest(ctx, bare, 'bare', kind, `bare-before-${kind}`);
      const own = await measureIngest(ctx, ephemail, 'ephemail', kind, `ingest-${kind}`);
      const after = await measureIngest(ctx, bare, 'bare', kind, `bare-after-${kind}`);
      await checkDigested(ctx, ephemail, `ingest-${kind}-0@ephemail.test`);
      for (const figure of INGEST_FIGURES) {
        const ceiling = ((before[figure] ?? NaN) + (after[figure] ?? NaN)) / 2;
        figures[`ingest.${kind}.bare.${figure}`] = ceiling;
        figures[`ingest.${kind}.ephemail.${figure}`] = own[figure] ?? NaN;
      }
      figures[`ingest.${kind}.ratio`] = (own.rate ?? NaN) / (figures[`ingest.${kind}.bare.rate`] ?? NaN);
      figures[`ingest.${kind}.cpuRatio`] = (own.cpuUs ?? NaN) / (figures[`ingest.${kind}.bare.cpuUs`] ?? NaN);
    }
  }));
  return ctx.plan.dataDir ? { ...figures, ...await dataDirIngest(ctx, figures) } : figures;
}

/**
 * 1b. With --data-dir: the same ingest into a memory store kept in a data
 * directory (a fresh one under the system's temporary directory), measured
 * right after the memory-only store of the same run; the ratios say what
 * keeping mail across restarts costs intake.
 */
async function dataDirIngest(ctx: Context, memoryOnly: Figures): Promise<Figures> {
  const folder = mkdtempSync(join(tmpdir(), 'ephemail-bench-'));
  const figures: Figures = {};
  try {
    await withServer(ctx, 'ephemail', ['--data-dir', join(folder, 'data')], async (server) => {
      for (const kind of MESSAGE_KINDS) {
        const kept = await measureIngest(ctx, server, 'ephemail', kind, `data-dir-${kind}`);
        for (const figure of INGEST_FIGURES) figures[`ingest.${kind}.dataDir.${figure}`] = kept[figure] ?? NaN;
        figures[`ingest.${kind}.dataDirRatio`] = (kept.rate ?? NaN) / (memoryOnly[`ingest.${kind}.ephemail.rate`] ?? NaN);
        figures[`ingest.${kind}.dataDirCpuRatio`] = (kept.cpuUs ?? NaN) / (memoryOnly[`ingest.${kind}.ephemail.cpuUs`] ?? NaN);
      }
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return figures;
}

/** 2, 3 and 5 share one server: live events, blocked waits, then the read API. */
export async function readersScenario(ctx: Context): Promise<Figures> {
  const { plan, load } = ctx;
  return withServer(ctx, 'ephemail', [], async (server) => ({
    ...await step(ctx, 'arrival', async () => {
      await warm(ctx, server);
      await server.memory(false);
      const arrival = await load.run('arrival', { smtpPort: server.smtpPort, httpPort: server.httpPort, kind: 'text10k', ...plan.arrival });
      const loop = await server.memory(false);
      check(ctx, 'arrival', arrival.errors, arrival.firstError);
      if (arrival.missing > 0) ctx.errors.push(`arrival: ${arrival.missing} of ${arrival.sent} events never reached the subscriber`);
      return {
        'arrival.p50': arrival.latency.p50, 'arrival.p99': arrival.latency.p99, 'arrival.max': arrival.latency.max,
        'arrival.lateSends': arrival.lateSends, 'arrival.achievedRate': arrival.achievedRate,
        'arrival.serverLoopDelayP99': loop.loopDelayP99Ms, 'arrival.serverLoopDelayMax': loop.loopDelayMaxMs,
      };
    }),
    ...await step(ctx, 'wait', async () => {
      const wait = await load.run('wait', { smtpPort: server.smtpPort, httpPort: server.httpPort, kind: 'text10k', samples: plan.waitSamples });
      check(ctx, 'wait', wait.errors, wait.firstError);
      return {
        'wait.p50': wait.latency.p50, 'wait.p99': wait.latency.p99, 'wait.max': wait.latency.max,
        'wait.toReplyP50': wait.toReply.p50, 'wait.toReplyP99': wait.toReply.p99,
      };
    }),
    ...await step(ctx, 'api', async () => {
      const fill = await load.run('ingest', {
        port: server.smtpPort, kind: 'text10k', connections: 1, perConnection: plan.api.messages, warmupPerConnection: 0, inboxes: 1, prefix: 'api',
      });
      check(ctx, 'api fill', fill.errors, fill.firstError);
      const api = await load.run('api', { httpPort: server.httpPort, inbox: 'api-0@ephemail.test', connections: plan.api.connections, durationS: plan.api.durationS });
      if (api.list.errors + api.get.errors > 0) ctx.errors.push(`api: ${api.list.errors} list and ${api.get.errors} get requests failed`);
      return {
        'api.list.rps': api.list.requestsPerSecond, 'api.list.p99': api.list.p99,
        'api.get.rps': api.get.requestsPerSecond, 'api.get.p99': api.get.p99,
      };
    }),
  }));
}

/** 4. What 10 KB messages cost once stored, against their raw size. */
export async function memoryScenario(ctx: Context): Promise<Figures> {
  const count = ctx.plan.memoryMessages;
  const connections = ctx.plan.connections;
  return withServer(ctx, 'ephemail', ['--memory-limit', '2GB'], async (server) => {
    await warm(ctx, server);
    const warmed = await health(server);
    const before = await server.memory(true);
    const fill = await ctx.load.run('ingest', {
      port: server.smtpPort, kind: 'text10k', connections, perConnection: Math.ceil(count / connections),
      warmupPerConnection: 0, inboxes: Math.ceil(count / 100), prefix: 'memory',
    });
    check(ctx, 'memory fill', fill.errors, fill.firstError);
    // Read, every message holds its digest too: the most it costs.
    await step(ctx, 'memory read-back', async () => {
      await listInboxes(server, Array.from({ length: Math.ceil(count / 100) }, (_, i) => `memory-${i}@ephemail.test`));
      return {};
    });
    await sleep(500);
    const after = await server.memory(true);
    const stats = await health(server);
    const stored = stats.messages - warmed.messages;
    if (stored !== fill.sent) ctx.errors.push(`memory: ${fill.sent} sent but ${stored} stored`);
    const raw = fill.rawBytes / fill.sent;
    return {
      'memory.messages': stored, 'memory.rawPerMessage': raw, 'memory.storePerMessage': (stats.bytes - warmed.bytes) / stored,
      'memory.rssPerMessage': (after.rss - before.rss) / stored,
      'memory.heapPerMessage': (after.heapUsed - before.heapUsed) / stored,
      'memory.buffersPerMessage': (after.arrayBuffers - before.arrayBuffers) / stored,
      'memory.budgetPerMessage': 1.5 * raw + 2048,
      'memory.rssMB': after.rss / MB, 'memory.heapMB': after.heapUsed / MB, 'memory.storeMB': stats.bytes / MB,
      'memory.fillRate': fill.messagesPerSecond,
    };
  });
}

/** 6. Many idle subscribers, then one crowded inbox receiving a message. */
export async function fanoutScenario(ctx: Context): Promise<Figures> {
  const { idleInboxes, idlePerInbox, hot, messages } = ctx.plan.fanout;
  return withServer(ctx, 'ephemail', [], async (server) => {
    await warm(ctx, server);
    const before = await server.memory(true);
    const inboxes = Array.from({ length: idleInboxes }, (_, i) => `idle-${i}@ephemail.test`);
    const idle = await ctx.load.run('openSockets', { group: 'idle', httpPort: server.httpPort, inboxes, perInbox: idlePerInbox, batch: 200 });
    await sleep(500);
    const after = await server.memory(true);
    const hotInbox = 'crowded@ephemail.test';
    const crowd = await ctx.load.run('openSockets', { group: 'hot', httpPort: server.httpPort, inboxes: [hotInbox], perInbox: hot, batch: 200 });
    check(ctx, 'fan-out subscribe', idle.failed + crowd.failed, idle.firstError ?? crowd.firstError);
    const result = await ctx.load.run('fanout', { group: 'hot', smtpPort: server.smtpPort, inbox: hotInbox, messages });
    await ctx.load.run('closeSockets', { group: 'hot' });
    await ctx.load.run('closeSockets', { group: 'idle' });
    if (result.errors > 0) ctx.errors.push(`fan-out: ${result.errors} SMTP error(s)`);
    if (result.missing > 0) ctx.errors.push(`fan-out: ${result.missing} event(s) never reached a subscriber`);
    const sorted = [...result.allReceivedMs].sort((a, b) => a - b);
    return {
      'fanout.allMs': sorted[sorted.length >> 1] ?? NaN, 'fanout.allMaxMs': sorted.at(-1) ?? NaN,
      'fanout.firstMs': [...result.firstReceivedMs].sort((a, b) => a - b)[result.firstReceivedMs.length >> 1] ?? NaN,
      'fanout.idleBytesPerSocket': (after.rss - before.rss) / idle.opened,
      'fanout.idleHeapPerSocket': (after.heapUsed - before.heapUsed) / idle.opened,
      'fanout.openPerSecond': (idle.opened / idle.ms) * 1000,
    };
  });
}

function readMB(size: string): number {
  const match = /^(\d+)\s*(MB|GB)$/i.exec(size);
  if (!match) throw new Error(`memory limits are written in MB or GB here, not ${size}`);
  return Number(match[1]) * (match[2]?.toUpperCase() === 'GB' ? 1024 : 1);
}

/** 7. Far more mail than the memory limit, as fast as it goes, while /healthz is probed. */
export async function floodScenario(ctx: Context): Promise<Figures> {
  const { memoryLimit, bytes } = ctx.plan.flood;
  const connections = ctx.plan.connections;
  return withServer(ctx, 'ephemail', ['--memory-limit', memoryLimit], async (server) => {
    const idle = await server.memory(true);
    const probe = { ok: 0, failed: 0, slowest: 0, hardFailures: 0 };
    // The main thread's share of the peak: what is left of RSS is worker heaps, code and the allocator.
    const peak = { heapTotal: 0, arrayBuffers: 0 };
    let flooding = true;
    const prober = (async () => {
      // Bounded: stops with the flood, and in any case after 15 minutes of probes.
      for (let i = 0; flooding && i < 9_000; i++) {
        const started = performance.now();
        try {
          const response = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`, { signal: AbortSignal.timeout(1_000) });
          await response.arrayBuffer();
          if (response.status === 200) probe.ok++;
          else { probe.failed++; probe.hardFailures++; }
        } catch (error) {
          probe.failed++;
          if (!(error instanceof Error && error.name === 'TimeoutError')) probe.hardFailures++;
        }
        const took = performance.now() - started;
        probe.slowest = Math.max(probe.slowest, took);
        if (i % 5 === 0) {
          const sample = await server.memory(false);
          peak.heapTotal = Math.max(peak.heapTotal, sample.heapTotal);
          peak.arrayBuffers = Math.max(peak.arrayBuffers, sample.arrayBuffers);
        }
        await sleep(Math.max(0, 100 - took));
      }
    })();
    const perConnection = Math.ceil(bytes / (200 * 1024) / connections);
    const flood = await ctx.load.run('ingest', {
      port: server.smtpPort, kind: 'pdf200k', connections, perConnection, warmupPerConnection: 0, inboxes: 1_000, prefix: 'flood',
    }).finally(() => { flooding = false; });
    await prober;
    check(ctx, 'flood', flood.errors, flood.firstError);
    if (probe.hardFailures > 0) ctx.errors.push(`flood: /healthz failed ${probe.hardFailures} time(s)`);
    const stats = await health(server);
    return {
      'flood.peakRssMB': server.peakRss() / MB, 'flood.limitMB': readMB(memoryLimit), 'flood.idleRssMB': idle.rss / MB,
      'flood.peakMainHeapMB': peak.heapTotal / MB, 'flood.peakMainBuffersMB': peak.arrayBuffers / MB,
      'flood.sentMB': flood.rawBytes / MB, 'flood.MBps': flood.rawBytes / MB / (flood.elapsedMs / 1000),
      'flood.lost': flood.sent - stats.messages, 'flood.errors': flood.errors,
      'flood.probeFailures': probe.failed, 'flood.probeSlowestMs': probe.slowest, 'flood.storeMB': stats.bytes / MB,
    };
  });
}

/**
 * In run order. Capacity scenarios (memory, flood) measure bytes more than time
 * and take minutes each, so a full run does them once; the timed ones repeat.
 * The cross-instance ones need a Redis store; a run on Redis does only them
 * unless --only names others (which then run on one instance on Redis).
 */
export const SCENARIOS = {
  ingest: { run: ingestScenario, repeat: true, redisOnly: false },
  readers: { run: readersScenario, repeat: true, redisOnly: false },
  fanout: { run: fanoutScenario, repeat: true, redisOnly: false },
  memory: { run: memoryScenario, repeat: false, redisOnly: false },
  flood: { run: floodScenario, repeat: false, redisOnly: false },
  'redis-ingest': { run: redisIngestScenario, repeat: true, redisOnly: true },
  cross: { run: crossScenario, repeat: true, redisOnly: true },
  'first-read': { run: firstReadScenario, repeat: true, redisOnly: true },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** The scenarios a run does when --only does not say: the cross-instance ones on Redis, the others on memory. */
export function defaultScenarios(onRedis: boolean): ScenarioName[] {
  return (Object.keys(SCENARIOS) as ScenarioName[]).filter((name) => SCENARIOS[name].redisOnly === onRedis);
}
