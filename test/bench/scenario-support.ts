import { startServer, type ServerHandle } from './children.js';
import { warmUpIngest } from './ingest-warmup.js';
import type { MessageKind } from './messages.js';
import type { Context, Figures } from './plan.js';
import { sleep } from './stats.js';

/**
 * Every load comes from 127.0.0.1, which Ephemail's per-client limits would
 * see as one abusive client: they are lifted so the benchmark measures
 * serving, not refusing. Long sessions are allowed because one SMTP session
 * carries thousands of messages here.
 */
export const BENCH_FLAGS = [
  '--rate-limit', '1000000000', '--rate-burst', '1000000000', '--max-waiters-per-client', '100000', '--smtp-session-timeout', '2h',
  '--memory-share', '100',
  // The fan-out scenario holds 6,000 event sockets from this one address.
  '--http-max-connections', '20000', '--http-max-connections-per-client', '20000', '--ws-max-per-client', '20000',
];

/**
 * Starts a server, runs `body`, and always stops it; a crash or a logged error
 * is recorded as an error. Ephemail keeps mail in the run's store unless `store` says otherwise.
 */
export async function withServer<T>(ctx: Context, kind: 'ephemail' | 'bare', flags: string[], body: (server: ServerHandle) => Promise<T>, store = ctx.plan.store): Promise<T> {
  const server = await startServer(kind, kind === 'ephemail' ? ['--log-level', ctx.plan.logLevel, '--store', store, ...BENCH_FLAGS, ...flags] : flags);
  try {
    return await body(server);
  } finally {
    const crash = server.crash();
    if (crash !== null) ctx.errors.push(crash);
    await server.stop();
    for (const line of server.loggedErrors()) ctx.errors.push(`${kind} server logged: ${line}`);
  }
}

/** Runs one part of a scenario; a failure is recorded and the other parts still run. */
export async function step(ctx: Context, name: string, body: () => Promise<Figures>): Promise<Figures> {
  try {
    return await body();
  } catch (error) {
    ctx.errors.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

/**
 * Brings a fresh server to its working state before a baseline is taken: the
 * parse workers load their code on first use, and that would otherwise count
 * as memory held by whatever comes next. The warm-up mail is listed, because
 * a digest is read only when a message is first listed or watched.
 */
export async function warm(ctx: Context, server: ServerHandle): Promise<void> {
  const result = await ctx.load.run('ingest', {
    port: server.smtpPort, kind: 'text10k', connections: ctx.plan.connections, perConnection: 20, warmupPerConnection: 0, inboxes: 1, prefix: 'warm',
  });
  check(ctx, 'warm-up', result.errors, result.firstError);
  await listInboxes(server, ['warm-0@ephemail.test']);
  await sleep(300);
}

/** Lists inboxes over HTTP, a few at a time, so every message in them has its digest read. */
export async function listInboxes(server: ServerHandle, inboxes: string[]): Promise<void> {
  const queue = [...inboxes];
  const reader = async () => {
    for (let inbox = queue.shift(); inbox !== undefined; inbox = queue.shift()) {
      const response = await fetch(`http://127.0.0.1:${server.httpPort}/api/inboxes/${encodeURIComponent(inbox)}/messages`);
      if (response.status !== 200) throw new Error(`listing ${inbox} answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 4 }, reader));
}

export function check(ctx: Context, what: string, errors: number, firstError: string | null): void {
  if (errors > 0) ctx.errors.push(`${what}: ${errors} error(s), first: ${firstError ?? '?'}`);
}

export async function health(server: ServerHandle): Promise<{ messages: number; bytes: number }> {
  const response = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`);
  return await response.json() as { messages: number; bytes: number };
}

/** What measureIngest reports: msg/s, end of DATA -> 250 (p50, p99), and the server's CPU time per message. */
export const INGEST_FIGURES = ['rate', 'p50', 'p99', 'cpuUs'] as const;

/**
 * One measured ingest of `kind` into `server`, after an unmeasured warm-up;
 * `target` names the server in errors. `backendCpuUs`, when given, reads the
 * CPU time of a process the ingest also loads (redis-server), and its share
 * per measured message is reported as `backendCpuUs`.
 */
export async function measureIngest(
  ctx: Context, server: ServerHandle, target: string, kind: MessageKind, prefix: string, backendCpuUs?: () => Promise<number>,
): Promise<Figures> {
  const sizes = ctx.plan.ingest[kind];
  const params = { port: server.smtpPort, kind, connections: ctx.plan.connections, warmupPerConnection: 0, inboxes: 400 };
  const warmup = await warmUpIngest(ctx.load, server, { ...params, perConnection: sizes.warmup, prefix: `warm-${prefix}` });
  check(ctx, `ingest warm-up ${kind} -> ${target}`, warmup.errors, warmup.firstError);
  const backendBefore = await backendCpuUs?.() ?? NaN;
  const before = await server.mark();
  const result = await ctx.load.run('ingest', { ...params, perConnection: sizes.perConnection, prefix });
  const after = await server.mark();
  const backendAfter = await backendCpuUs?.() ?? NaN;
  check(ctx, `ingest ${kind} -> ${target}`, result.errors, result.firstError);
  return {
    rate: result.messagesPerSecond, p50: result.latency.p50, p99: result.latency.p99, cpuUs: (after.cpuUs - before.cpuUs) / result.sent,
    backendCpuUs: (backendAfter - backendBefore) / result.sent,
  };
}

/**
 * Speed means nothing if the work was skipped: every message the load sends
 * carries the code 482913, so a stored message without it (or marked as not
 * parsed) means the parse workers failed, and the run counts it as an error.
 */
export async function checkDigested(ctx: Context, server: ServerHandle, inbox: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${server.httpPort}/api/inboxes/${encodeURIComponent(inbox)}/messages`);
  const { messages } = await response.json() as { messages: Array<{ codes: string[]; parseFailed: boolean }> };
  const undigested = messages.filter((message) => message.parseFailed || !message.codes.includes('482913')).length;
  if (messages.length === 0 || undigested > 0) ctx.errors.push(`ingest: ${undigested} of ${messages.length} messages in ${inbox} were not digested (parse workers failing?)`);
}
