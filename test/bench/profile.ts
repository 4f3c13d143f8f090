import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoad, startServer, type LoadHandle, type ServerHandle } from './children.js';
import { warmUpFreshServer } from './ingest-warmup.js';
import type { IngestResult } from './load-smtp.js';
import { MESSAGE_KINDS, type MessageKind } from './messages.js';
import type { Plan } from './plan.js';
import { BENCH_FLAGS } from './scenario-support.js';
import { stageCosts } from './stages.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic microseconds, the profile's own time base; samples outside are start-up or shutdown. */
export interface Window {
  from: number;
  to: number;
}

/** Where a frame's code lives: a package, a file of Ephemail, Node itself, or V8's pseudo-frames. */
function areaOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage?.[1]) return inPackage[1];
  const own = /\/(src\/.+)$/.exec(url);
  if (own?.[1]) return own[1];
  return url.startsWith('node:') ? url : 'other';
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/src\//, 'src/')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([name, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

/** Self time per function, and inclusive time per area (each sample counted once per area on its stack). */
export function summarizeProfile(profile: CpuProfile, window: Window, count = 20): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    clock += delta;
    const node = byId.get(id);
    if (node === undefined || clock < window.from || clock > window.to) return;
    total += delta;
    if (node.callFrame.functionName === '(idle)') idle += delta;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + delta);
    const areas = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      // Node's own plumbing (timers, streams, events) sits under everything; packages and our files tell more.
      if (frame && !frame.url.startsWith('node:') && frame.url !== '') areas.add(areaOf(frame.url, frame.functionName));
    }
    for (const area of areas) inclusive.set(area, (inclusive.get(area) ?? 0) + delta);
  });
  if (total === 0) return '  (no samples in the measured window)';
  const busy = total - idle;
  if (busy / total < 0.01) return `  idle throughout (${(total / 1000).toFixed(0)} ms sampled)`;
  return [
    `  sampled ${(total / 1000).toFixed(0)} ms, idle ${((idle / total) * 100).toFixed(0)}%; shares below are of all samples`,
    `  top self time:`, ...top(self, total, count),
    `  inclusive time by package / Ephemail file (a stack counts once per area on it; busy = ${((busy / total) * 100).toFixed(0)}%):`,
    ...top(inclusive, total, 16),
  ].join('\n');
}

/** The summary of each thread's profile in `dir` (the main thread, and each parse worker by its thread id), cut to `window`. */
export function threadProfiles(dir: string, window: Window): string {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort();
  if (files.length === 0) throw new Error(`no CPU profile was written in ${dir}`);
  return files.map((file) => {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    return `\n### ${file} (thread ${/\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1] ?? '?'})\n${summarizeProfile(profile, window)}\n`;
  }).join('');
}

function ingestParams(port: number, kind: MessageKind, plan: Plan) {
  return { port, kind, connections: plan.connections, perConnection: 0, warmupPerConnection: 0, inboxes: 400, prefix: `profile-${kind}` };
}

/** One measured ingest of `kind` into a fresh `server`, after the warm-up, and the window it took on the server's clock. */
async function ingestUnderProfiler(load: LoadHandle, server: ServerHandle, plan: Plan, kind: MessageKind): Promise<{ result: IngestResult; window: Window }> {
  // Warm-up first, outside the window, so start-up and JIT compilation do not crowd the profile.
  await warmUpFreshServer(load, server, plan, kind, ingestParams(server.smtpPort, kind, plan));
  const from = (await server.mark()).monotonicUs;
  const result = await load.run('ingest', { ...ingestParams(server.smtpPort, kind, plan), perConnection: plan.ingest[kind].perConnection });
  return { result, window: { from, to: (await server.mark()).monotonicUs } };
}

/** Profiles the server child while it takes mail of each kind, one server (and one profile) per kind. */
export async function profileIngest(plan: Plan, note: (text: string) => void): Promise<void> {
  note('timing intake stages in this process (one thread, fresh message each time)');
  const lines = ['| message | mailparser parse | digest of the parse | findCodes | htmlToText (inside findCodes) | lean digest (a digest job) |', '|---|--:|--:|--:|--:|--:|'];
  for (const cost of await stageCosts(plan.quick ? 30 : 200)) {
    lines.push(`| ${cost.kind} | ${cost.parseMs.toFixed(2)} ms | ${cost.digestMs.toFixed(2)} ms | ${cost.codesMs.toFixed(2)} ms | ${cost.htmlToTextMs.toFixed(2)} ms | ${cost.leanDigestMs.toFixed(2)} ms |`);
  }
  process.stdout.write(`\n## CPU per message by stage (medians)\n${lines.join('\n')}\n`);
  const load = startLoad();
  try {
    // The bare server's profile is the yardstick: what smtp-server itself costs per message.
    for (const [kind, target] of MESSAGE_KINDS.flatMap((kind) => [[kind, 'bare'], [kind, 'ephemail']] as const)) {
      const dir = mkdtempSync(join(tmpdir(), `ephemail-profile-${target}-${kind}-`));
      note(`profiling ingest of ${kind} into ${target} (${dir})`);
      const server = await startServer(target, ['--log-level', plan.logLevel, ...BENCH_FLAGS], { cpuProfDir: dir });
      // Stopped before the profiles are read: a process writes its profile as it exits.
      const { result, window } = await ingestUnderProfiler(load, server, plan, kind).finally(() => server.stop());
      process.stdout.write(`\n## ${kind} into ${target}: ${result.messagesPerSecond.toFixed(0)} msg/s under the profiler, ${result.errors} errors, ${(window.to - window.from) / 1e6} s measured — ${dir}\n`);
      process.stdout.write(threadProfiles(dir, window));
    }
  } finally {
    load.close();
  }
}
