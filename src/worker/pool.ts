import { Worker } from 'node:worker_threads';
import { renderSafeHtml, type SafeHtml } from '../http/safe-html.js';
import { digestMessage } from '../mail/digest.js';
import { failedMessage, type ParsedMessage } from '../mail/parse.js';
import type { MessageDigest } from '../store/message.js';
import type { WorkerJob, WorkerReply } from './jobs.js';

/** Options of the worker pool. */
export interface WorkerPoolOptions {
  /** Worker threads; each parses one message at a time. */
  workers: number;
  /** A message still parsing after this long is given up (kept raw, flagged) and its worker replaced. */
  timeoutMs: number;
  /** Heap a worker may use; a message that needs more is kept raw and flagged. */
  workerHeapMb: number;
  onWorkerFailure?: (error: unknown) => void;
}

/** The sanitised HTML of a message, rendered for the reader's iframe. */
export interface HtmlJob {
  html: string;
  allowRemote: boolean;
  /** Content-ID -> URL of that inline attachment. */
  contentIdUrls: Array<[string, string]>;
}

/**
 * Work on message content, off the main thread. Never rejects: what cannot
 * be parsed comes back flagged as failed, and HTML that cannot be rendered
 * in time comes back as a notice.
 */
export interface WorkerPool {
  /** What intake stores: the digest only, so little crosses between threads. */
  digest(raw: Buffer): Promise<MessageDigest>;
  /** The full parse, for readers. */
  parse(raw: Buffer): Promise<ParsedMessage>;
  /** The sanitised HTML document. */
  renderHtml(job: HtmlJob): Promise<SafeHtml>;
  close(): Promise<void>;
}

interface Task {
  job: WorkerJob;
  settle: (reply: WorkerReply) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A fixed set of worker threads fed from one queue. A worker that crashes,
 * runs out of heap or overruns the time budget is replaced, and its job is
 * answered as a failure rather than lost.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const queue: Task[] = [];
  const slots = new Set<Slot>();
  let nextId = 0;
  let closed = false;

  function fallback({ job }: Task, reason: string): WorkerReply {
    if (job.kind === 'html') return { id: job.id, kind: 'html', safeHtml: htmlNotice(reason) };
    const parsed = failedMessage(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength), new Error(reason));
    return job.kind === 'digest'
      ? { id: job.id, kind: 'digest', digest: digestMessage(parsed) }
      : { id: job.id, kind: 'parse', parsed };
  }

  function finish(slot: Slot, reply: WorkerReply): void {
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
    worker.on('message', (reply: WorkerReply) => finish(slot, reply));
    worker.on('error', (error) => replace(slot, 'the parser failed on it', error));
    worker.on('exit', () => replace(slot, 'the parser stopped while reading it'));
  }

  function dispatch(): void {
    for (const slot of slots) {
      const task = slot.task === null ? queue.shift() : undefined;
      if (task === undefined) continue;
      slot.task = task;
      slot.timer = setTimeout(() => replace(slot, `it took longer than ${options.timeoutMs / 1_000} s`), options.timeoutMs);
      slot.worker.postMessage(task.job);
    }
  }

  function submit(job: DistributiveOmit<WorkerJob, 'id'>): Promise<WorkerReply> {
    return new Promise((settle) => {
      const task: Task = { job: { ...job, id: nextId++ } as WorkerJob, settle };
      if (closed) return settle(fallback(task, 'the server is shutting down'));
      // Threads start with the first job, so a process that never reads mail never pays for them.
      while (slots.size < Math.max(1, options.workers)) spawn();
      queue.push(task);
      dispatch();
    });
  }


  return {
    async digest(raw) {
      const reply = await submit({ kind: 'digest', raw });
      if (reply.kind !== 'digest') throw new Error('a worker answered the wrong kind of job');
      return reply.digest;
    },
    async parse(raw) {
      const reply = await submit({ kind: 'parse', raw });
      if (reply.kind !== 'parse') throw new Error('a worker answered the wrong kind of job');
      return withBuffers(reply.parsed);
    },
    async renderHtml(job) {
      const reply = await submit({ kind: 'html', ...job });
      if (reply.kind !== 'html') throw new Error('a worker answered the wrong kind of job');
      return reply.safeHtml;
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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the reader sees when a message's HTML could not be rendered safely. */
function htmlNotice(reason: string): SafeHtml {
  return renderSafeHtml(`<p>This message's HTML could not be shown safely because ${reason}. Read its plain text instead.</p>`, {
    allowRemote: false,
    resolveContentId: () => null,
  });
}

/**
 * The worker's entry. Built code runs entry.js directly; from source (tsx,
 * vitest) the worker registers tsx first so it can load entry.ts.
 */
function workerBootstrap(): string {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(`./entry.${source ? 'ts' : 'js'}`, import.meta.url).href;
  return source
    ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`
    : `import(${JSON.stringify(entry)});`;
}
