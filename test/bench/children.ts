import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedNodeOptions } from '../support/shipped-command.js';
import type { ChildReply, ChildRequest, Mark, MemorySample } from './ipc.js';
import type { LoadTasks } from './load-child.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** The checkout this benchmark runs from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = '.bench-build';
const START_TIMEOUT_MS = 30_000;
// Filling 50,000 messages took 6 minutes on a loaded 2-core machine; a task past this is stuck, not slow.
const TASK_TIMEOUT_MS = 1_800_000;

/** The server under test, running in its own process. */
export interface ServerHandle {
  smtpPort: number;
  httpPort: number;
  pid: number;
  memory(collect: boolean): Promise<MemorySample>;
  /** The server's clock (in the time base of its CPU profile) and the CPU time it has used so far. */
  mark(): Promise<Mark>;
  /** Peak resident set of the process so far, from the kernel (VmHWM), in bytes. */
  peakRss(): number;
  /** Why the process ended early, or null while it runs (or after a requested stop). */
  crash(): string | null;
  /** Error and fatal lines of the server's JSON log (the first few). */
  loggedErrors(): string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Directory for a V8 CPU profile written when the server stops. */
  cpuProfDir?: string;
  /** The checkout whose compiled server runs (see buildServerChild); this one by default. */
  checkout?: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

/**
 * Compiles the server child and the source it runs (tsc, tsconfig.bench.json)
 * into .bench-build/, so servers run as plain JavaScript like dist/ does in
 * production. Under tsx a process carries about 40 MB more (its loader
 * thread), and so does every parse worker, which the flood would count.
 */
export function buildServerChild(checkout = ROOT): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(checkout, 'tsconfig.bench.json')], { stdio: 'inherit' });
  // static-routes.ts finds public/, and package-version.ts package.json, two levels above their own files.
  for (const name of ['public', 'package.json']) {
    rmSync(join(checkout, BUILD, name), { force: true });
    symlinkSync(`../${name}`, join(checkout, BUILD, name));
  }
}

/** Forks `kind` ("ephemail" or "bare") with Ephemail flags; resolves once it listens. Call buildServerChild() first. */
export async function startServer(kind: 'ephemail' | 'bare', flags: string[] = [], options: ServerOptions = {}): Promise<ServerHandle> {
  // Started with the Node.js options its checkout's image ships with (the Dockerfile's CMD).
  const execArgv = ['--expose-gc', ...shippedNodeOptions(options.checkout ?? ROOT)];
  if (options.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  // stdout (the JSON log) is read as a log shipper would and only error lines are kept; stderr stays visible for crashes.
  const child = fork(join(options.checkout ?? ROOT, BUILD, 'test/bench/server-child.js'), [kind, ...flags], { execArgv, serialization: 'advanced', stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const loggedErrors: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    // pino writes "level":50 for error and 60 for fatal; most chunks have neither and cost one scan.
    if (!chunk.includes('"level":50') && !chunk.includes('"level":60')) return;
    for (const line of chunk.toString('utf8').split('\n')) {
      if (/"level":[56]0/.test(line) && loggedErrors.length < 20) loggedErrors.push(line.slice(0, 500));
    }
  });
  const waiting = new Map<number, (reply: ChildReply) => void>();
  let nextId = 0;
  let stopping = false;
  let crashed: string | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    if (!stopping) crashed = `${kind} server ${exitDescription(code, signal)}`;
    resolve();
  }));

  const ready = await withTimeout(new Promise<Extract<ChildReply, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (reply: ChildReply) => {
      if (reply.type === 'ready') resolve(reply);
      else waiting.get(reply.id)?.(reply);
    });
    void exited.then(() => reject(new Error(crashed ?? `${kind} server ended before listening`)));
  }), START_TIMEOUT_MS, `starting the ${kind} server`);

  const request = (message: ChildRequest) => child.send(message);
  async function ask<T extends ChildReply['type']>(type: T, message: ChildRequest): Promise<Extract<ChildReply, { type: T }>> {
    const id = 'id' in message ? message.id : -1;
    const reply = new Promise<ChildReply>((resolve) => waiting.set(id, resolve));
    request(message);
    const answer = await withTimeout(reply, 30_000, `${type} request`).finally(() => waiting.delete(id));
    if (answer.type !== type) throw new Error(`the server answered ${answer.type} to ${type}`);
    return answer as Extract<ChildReply, { type: T }>;
  }
  return {
    smtpPort: ready.smtpPort,
    httpPort: ready.httpPort,
    pid: ready.pid,
    async memory(collect) {
      const { type: _type, id: _id, ...sample } = await ask('memory', { type: 'memory', id: nextId++, collect });
      return sample;
    },
    async mark() {
      const { monotonicUs, cpuUs } = await ask('mark', { type: 'mark', id: nextId++ });
      return { monotonicUs, cpuUs };
    },
    peakRss() {
      const status = readFileSync(`/proc/${ready.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? NaN : Number(kb) * 1024;
    },
    crash: () => crashed,
    loggedErrors: () => [...loggedErrors],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      request({ type: 'stop' });
      await withTimeout(exited, 15_000, 'stopping the server').catch(() => child.kill('SIGKILL'));
    },
  };
}

/** The load generator process: runs one task at a time and answers with its result. */
export interface LoadHandle {
  run<K extends keyof LoadTasks>(task: K, params: LoadTasks[K]['params']): Promise<LoadTasks[K]['result']>;
  close(): void;
}

type LoadReply = { id: number; result?: unknown; error?: string };

export function startLoad(): LoadHandle {
  const child: ChildProcess = fork(`${HERE}load-child.ts`, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (reply: LoadReply) => void>();
  let nextId = 0;
  let ended: string | null = null;
  child.on('message', (reply: LoadReply) => waiting.get(reply.id)?.(reply));
  child.once('exit', (code, signal) => {
    ended = `load generator ${exitDescription(code, signal)}`;
    for (const resolve of waiting.values()) resolve({ id: -1, error: ended });
  });
  return {
    async run(task, params) {
      if (ended !== null) throw new Error(ended);
      const id = nextId++;
      const reply = new Promise<LoadReply>((resolve) => waiting.set(id, resolve));
      child.send({ id, task, params });
      const { result, error } = await withTimeout(reply, TASK_TIMEOUT_MS, `load task ${task}`).finally(() => waiting.delete(id));
      if (error !== undefined) throw new Error(`load task ${task}: ${error}`);
      return result as LoadTasks[typeof task]['result'];
    },
    close() {
      child.disconnect();
    },
  };
}
