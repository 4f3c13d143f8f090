import { Worker } from 'node:worker_threads';
import type { MessageDigest } from '../store/message.js';
import { digestMessage } from './digest.js';
import { failedMessage, type ParsedMessage } from './parse.js';

/** A request to a parse worker. */
export interface ParseJob {
  id: number;
  kind: 'digest' | 'parse';
  raw: Uint8Array;
}

/** A parse worker's answer. */
export type ParseReply =
  | { id: number; kind: 'digest'; digest: MessageDigest }
  | { id: number; kind: 'parse'; parsed: ParsedMessage };

/** Options of the parse pool. */
export interface ParsePoolOptions {
  /** Worker threads; each parses one message at a time. */
  workers: number;
  /** A message still parsing after this long is given up (kept raw, flagged) and its worker replaced. */
  timeoutMs: number;
  /** Heap a worker may use; a message that needs more is kept raw and flagged. */
  workerHeapMb: number;
  onWorkerFailure?: (error: unknown) => void;
}

/** Parsing off the main thread. Never rejects: what cannot be parsed comes back flagged as failed. */
export interface ParsePool {
  /** What intake stores: the digest only, so little crosses between threads. */
  digest(raw: Buffer): Promise<MessageDigest>;
  /** The full parse, for readers. */
  parse(raw: Buffer): Promise<ParsedMessage>;
  close(): Promise<void>;
}

interface Task {
  job: ParseJob;
  raw: Buffer;
  settle: (reply: ParseReply) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A fixed set of worker threads fed from one queue. A worker that crashes,
 * runs out of heap or overruns the time budget is replaced, and its message
 * is answered as unparseable rather than lost.
 */
export function createParsePool(options: ParsePoolOptions): ParsePool {
  const queue: Task[] = [];
  const slots = new Set<Slot>();
  let nextId = 0;
  let closed = false;

  function fallback(task: Task, reason: string): ParseReply {
    const parsed = failedMessage(task.raw, new Error(reason));
    return task.job.kind === 'digest'
      ? { id: task.job.id, kind: 'digest', digest: digestMessage(parsed) }
      : { id: task.job.id, kind: 'parse', parsed };
  }

  function finish(slot: Slot, reply: ParseReply): void {
    const task = slot.task;
    if (task === null || reply.id !== task.job.id) return;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    task.settle(reply);
    dispatch();
  }

  function replace(slot: Slot, reason: string, error?: unknown): void {
    if (!slots.delete(slot)) return;
    if (error !== undefined) options.onWorkerFailure?.(error);
    const task = slot.task;
    if (slot.timer !== null) clearTimeout(slot.timer);
    void slot.worker.terminate();
    if (task !== null) task.settle(fallback(task, reason));
    if (!closed) spawn();
    dispatch();
  }

  function spawn(): void {
    const worker = new Worker(workerBootstrap(), {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb },
    });
    worker.unref();
    const slot: Slot = { worker, task: null, timer: null };
    slots.add(slot);
    worker.on('message', (reply: ParseReply) => finish(slot, reply));
    worker.on('error', (error) => replace(slot, 'the parser failed on it', error));
    worker.on('exit', () => replace(slot, 'the parser stopped while reading it'));
  }

  function dispatch(): void {
    for (const slot of slots) {
      const task = slot.task === null ? queue.shift() : undefined;
      if (task === undefined) continue;
      slot.task = task;
      slot.timer = setTimeout(() => replace(slot, `parsing took longer than ${options.timeoutMs / 1_000} s`), options.timeoutMs);
      slot.worker.postMessage(task.job);
    }
  }

  function submit(kind: ParseJob['kind'], raw: Buffer): Promise<ParseReply> {
    return new Promise((settle) => {
      const task: Task = { job: { id: nextId++, kind, raw }, raw, settle };
      if (closed) return settle(fallback(task, 'the server is shutting down'));
      queue.push(task);
      dispatch();
    });
  }

  for (let i = 0; i < Math.max(1, options.workers); i++) spawn();

  return {
    async digest(raw) {
      const reply = await submit('digest', raw);
      if (reply.kind !== 'digest') throw new Error('parse worker answered the wrong kind of job');
      return reply.digest;
    },
    async parse(raw) {
      const reply = await submit('parse', raw);
      if (reply.kind !== 'parse') throw new Error('parse worker answered the wrong kind of job');
      return withBuffers(reply.parsed);
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.settle(fallback(task, 'the server is shutting down'));
      const stopping = [...slots];
      slots.clear();
      await Promise.all(stopping.map(async (slot) => {
        if (slot.task !== null) slot.task.settle(fallback(slot.task, 'the server is shutting down'));
        if (slot.timer !== null) clearTimeout(slot.timer);
        await slot.worker.terminate();
      }));
    },
  };
}

/** Attachment contents arrive from the worker as plain Uint8Arrays. */
function withBuffers(parsed: ParsedMessage): ParsedMessage {
  const attachments = parsed.attachments.map((attachment) => ({
    ...attachment,
    content: Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength),
  }));
  return { ...parsed, attachments };
}

/**
 * The worker's entry. Built code runs parse-worker.js directly; from source
 * (tsx, vitest) the worker registers tsx first so it can load parse-worker.ts.
 */
function workerBootstrap(): string {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(`./parse-worker.${source ? 'ts' : 'js'}`, import.meta.url).href;
  return source
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
}
