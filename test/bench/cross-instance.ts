/**
 * The scenarios of a run on Redis (`--store redis://...` or `--temp-redis`):
 * two Ephemail instances on the same Redis, mail sent over SMTP to instance
 * A and read on instance B, as a deployment behind a reverse proxy serves it.
 */
import { performance } from 'node:perf_hooks';
import type { ServerHandle } from './children.js';
import { DOMAIN } from './load-smtp.js';
import { MESSAGE_KINDS, type MailKind } from './messages.js';
import type { Context, Figures } from './plan.js';
import { redisCpuUs } from './redis-target.js';
import { check, checkDigested, INGEST_FIGURES, measureIngest, step, warm, withServer } from './scenario-support.js';
import { median, sleep } from './stats.js';

const READY_TIMEOUT_MS = 30_000;

/** Two instances on the run's Redis, both up while `body` runs. */
function withPair<T>(ctx: Context, body: (a: ServerHandle, b: ServerHandle) => Promise<T>): Promise<T> {
  return withServer(ctx, 'ephemail', [], (a) => withServer(ctx, 'ephemail', [], (b) => body(a, b)));
}

/**
 * R1. Ingest into instance A on Redis (B up beside it, receiving every
 * event, as in a deployment) against ingest into a memory store, in the same
 * run: memory, Redis, memory again per size, all three servers up
 * throughout, the memory figure the mean of its two runs (as ingest does with
 * the bare server). Instance B then lists what A took in: the digests must be
 * readable on the other instance. Besides the instance's CPU time per message,
 * redis-server's, which takes its share of the same cores.
 */
export async function redisIngestScenario(ctx: Context): Promise<Figures> {
  const figures: Figures = {};
  await withServer(ctx, 'ephemail', [], (memory) => withPair(ctx, async (a, b) => {
    for (const kind of MESSAGE_KINDS) {
      const before = await measureIngest(ctx, memory, 'memory', kind, `memory-before-${kind}`);
      const redis = await measureIngest(ctx, a, 'Redis', kind, `redis-${kind}`, () => redisCpuUs(ctx.plan.store));
      const after = await measureIngest(ctx, memory, 'memory', kind, `memory-after-${kind}`);
      await checkDigested(ctx, b, `redis-${kind}-0@${DOMAIN}`);
      figures[`redis.ingest.${kind}.redisServerCpuUs`] = redis.backendCpuUs ?? NaN;
      for (const figure of INGEST_FIGURES) {
        figures[`redis.ingest.${kind}.memory.${figure}`] = ((before[figure] ?? NaN) + (after[figure] ?? NaN)) / 2;
        figures[`redis.ingest.${kind}.redis.${figure}`] = redis[figure] ?? NaN;
      }
      figures[`redis.ingest.${kind}.ratio`] = (redis.rate ?? NaN) / (figures[`redis.ingest.${kind}.memory.rate`] ?? NaN);
      figures[`redis.ingest.${kind}.cpuRatio`] = (redis.cpuUs ?? NaN) / (figures[`redis.ingest.${kind}.memory.cpuUs`] ?? NaN);
    }
  }), 'memory');
  return figures;
}

/**
 * R2. Arrival, waits and fan-out across the two instances: sent to A, seen on
 * B. For comparison, the 30 KB wait held on A itself, then on one instance
 * with a memory store: what crossing adds, and what Redis adds.
 */
export async function crossScenario(ctx: Context): Promise<Figures> {
  const across = await acrossPair(ctx);
  const onMemory = await withServer(ctx, 'ephemail', [], async (memory) => {
    await warm(ctx, memory);
    return waitFigures(ctx, memory, memory, 'pdf30k', 'memory');
  }, 'memory');
  return { ...across, ...onMemory };
}

/** Instances A and B on the run's Redis, both warmed: arrival, the waits and fan-out, sent to A. */
function acrossPair(ctx: Context): Promise<Figures> {
  const { plan, load } = ctx;
  return withPair(ctx, async (a, b) => {
    await warm(ctx, a);
    await warm(ctx, b);
    return {
      ...await step(ctx, 'cross-instance arrival', async () => {
        const arrival = await load.run('arrival', { smtpPort: a.smtpPort, httpPort: b.httpPort, kind: 'text10k', ...plan.arrival });
        check(ctx, 'cross-instance arrival', arrival.errors, arrival.firstError);
        if (arrival.missing > 0) ctx.errors.push(`cross-instance arrival: ${arrival.missing} of ${arrival.sent} events never reached the subscriber on B`);
        return {
          'cross.arrival.p50': arrival.latency.p50, 'cross.arrival.p99': arrival.latency.p99, 'cross.arrival.max': arrival.latency.max,
          'cross.arrival.achievedRate': arrival.achievedRate,
        };
      }),
      ...await waitFigures(ctx, a, b, 'pdf30k', 'cross'),
      ...await waitFigures(ctx, a, b, 'plain10k', 'cross'),
      ...await waitFigures(ctx, a, a, 'pdf30k', 'same'),
      ...await step(ctx, 'fan-out across instances', () => crossFanout(ctx, a, b)),
    };
  });
}

/**
 * A `/wait` held on `reader`, answered for mail sent to `sender`: end of DATA
 * -> the complete response, and the part of it before the "250" (the Redis
 * store's add). Held on A itself, it tells what crossing to B adds.
 */
function waitFigures(ctx: Context, sender: ServerHandle, reader: ServerHandle, kind: MailKind, name: string): Promise<Figures> {
  return step(ctx, `${name} wait ${kind}`, async () => {
    const wait = await ctx.load.run('wait', { smtpPort: sender.smtpPort, httpPort: reader.httpPort, kind, samples: ctx.plan.cross.waitSamples });
    check(ctx, `${name} wait ${kind}`, wait.errors, wait.firstError);
    const key = `${name}.wait.${kind}`;
    return {
      [`${key}.p50`]: wait.latency.p50, [`${key}.p99`]: wait.latency.p99, [`${key}.max`]: wait.latency.max,
      [`${key}.toReplyP50`]: wait.toReply.p50, [`${key}.toReplyP99`]: wait.toReply.p99,
    };
  });
}

/** WebSocket clients on one inbox, half on A and half on B; mail sent to A; until the last of them has the event. */
async function crossFanout(ctx: Context, a: ServerHandle, b: ServerHandle): Promise<Figures> {
  const { fanoutClients, fanoutMessages } = ctx.plan.cross;
  const inbox = `crowded@${DOMAIN}`;
  const onA = fanoutClients >> 1;
  const opened = [
    await ctx.load.run('openSockets', { group: 'cross', httpPort: a.httpPort, inboxes: [inbox], perInbox: onA, batch: 200 }),
    await ctx.load.run('openSockets', { group: 'cross', httpPort: b.httpPort, inboxes: [inbox], perInbox: fanoutClients - onA, batch: 200 }),
  ];
  try {
    check(ctx, 'fan-out across instances, subscribe', opened.reduce((sum, group) => sum + group.failed, 0), opened.find((group) => group.firstError !== null)?.firstError ?? null);
    const result = await ctx.load.run('fanout', { group: 'cross', smtpPort: a.smtpPort, inbox, messages: fanoutMessages });
    if (result.errors > 0) ctx.errors.push(`fan-out across instances: ${result.errors} SMTP error(s)`);
    if (result.missing > 0) ctx.errors.push(`fan-out across instances: ${result.missing} event(s) never reached a subscriber`);
    return {
      'cross.fanout.allMs': median(result.allReceivedMs), 'cross.fanout.allMaxMs': Math.max(...result.allReceivedMs),
      'cross.fanout.firstMs': median(result.firstReceivedMs),
    };
  } finally {
    await ctx.load.run('closeSockets', { group: 'cross' });
  }
}

/** Polls /healthz as an orchestrator's readiness probe would, until the instance says it serves. */
async function untilReady(server: ServerHandle): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`).catch(() => null);
    await response?.arrayBuffer();
    if (response?.status === 200) return;
    if (performance.now() > deadline) throw new Error(`/healthz did not answer 200 within ${READY_TIMEOUT_MS} ms of the start`);
    await sleep(10);
  }
}

/** Starts a fresh instance on the run's Redis, waits until it is ready, and times `first` on it. */
function onFreshInstance(ctx: Context, first: (server: ServerHandle) => Promise<number>): Promise<{ readyMs: number; firstMs: number }> {
  const started = performance.now();
  return withServer(ctx, 'ephemail', [], async (server) => {
    await untilReady(server);
    const readyMs = performance.now() - started;
    return { readyMs, firstMs: await first(server) };
  });
}

/** The id of the one message in `inbox`, listed on `server`. */
async function onlyMessageId(server: ServerHandle, inbox: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${server.httpPort}/api/inboxes/${encodeURIComponent(inbox)}/messages`);
  const { messages } = await response.json() as { messages?: Array<{ id: string }> };
  const id = messages?.[0]?.id;
  if (id === undefined) throw new Error(`${inbox} is empty on the instance that took the mail in (HTTP ${response.status})`);
  return id;
}

/**
 * R3. The first read on a freshly started instance, a fresh process per
 * sample, once it reports ready: the first `/wait` answered (the 30 KB mail
 * with HTML and a PDF sent to that instance, as a test run that starts
 * Ephemail for one test does), and the first message JSON of a message
 * another instance took in before the start (read in full on the fresh one).
 */
export async function firstReadScenario(ctx: Context): Promise<Figures> {
  const waits: number[] = [];
  const reads: number[] = [];
  const ready: number[] = [];
  await withServer(ctx, 'ephemail', [], async (other) => {
    for (let sample = 0; sample < ctx.plan.cross.firstReadSamples; sample++) {
      const prefix = `first-read-${sample}`;
      const stored = await ctx.load.run('ingest', { port: other.smtpPort, kind: 'pdf30k', connections: 1, perConnection: 1, warmupPerConnection: 0, inboxes: 1, prefix });
      check(ctx, 'first read, mail for the fresh instance', stored.errors, stored.firstError);
      const inbox = `${prefix}-0@${DOMAIN}`;
      const id = await onlyMessageId(other, inbox);
      const read = await onFreshInstance(ctx, async (fresh) => {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${fresh.httpPort}/api/inboxes/${encodeURIComponent(inbox)}/messages/${encodeURIComponent(id)}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`the first message JSON on a fresh instance answered HTTP ${response.status}`);
        return performance.now() - started;
      });
      const wait = await onFreshInstance(ctx, async (fresh) => {
        const result = await ctx.load.run('wait', { smtpPort: fresh.smtpPort, httpPort: fresh.httpPort, kind: 'pdf30k', samples: 1 });
        check(ctx, 'first wait on a fresh instance', result.errors, result.firstError);
        return result.latency.p50;
      });
      reads.push(read.firstMs);
      waits.push(wait.firstMs);
      ready.push(read.readyMs, wait.readyMs);
    }
  });
  return {
    'first.wait.median': median(waits), 'first.wait.max': Math.max(...waits),
    'first.json.median': median(reads), 'first.json.max': Math.max(...reads),
    'first.readyMs': median(ready),
  };
}
