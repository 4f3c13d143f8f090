import { Worker } from 'node:worker_threads';
import { CancelledError } from '../runtime/cancellation.js';
import type { ParsedMessage } from '../mail/parse/parse.js';
import type { MessageDigest, ReadMessage } from '../mail/read/digest.js';
import { createJobQueue, WorkersBusyError, type Lane } from './job-queue.js';
import type { DeliverabilityReport } from '../report/report.js';
import type { PoolJob, RenderedHtml, ReportFacts, ReportSettings, WarmReply, WarmRequest, WorkerJob, WorkerReply } from './jobs.js';

/** Options of the worker pool. */
export interface WorkerPoolOptions {
  /** Worker threads; each parses one message at a time. */
  workers: number;
  /** A message still parsing after this long is given up (kept raw, flagged) and its worker replaced. */
  timeoutMs: number;
  /** Heap a worker may use; a message that needs more is kept raw and flagged. */
  workerHeapMb: number;
  /** Jobs each lane holds waiting (see job-queue.ts); one more is refused with a WorkersBusyError. */
  maxQueuedPerLane: number;
  /** For a pool that makes deliverability reports: handed to each thread as its workerData. */
  report?: ReportSettings;
  onWorkerFailure?: (error: unknown) => void;
  /** Told of every job handed to a thread, dropped from the queue because nobody waited for it any more, or refused. */
  onJob?: (kind: PoolJob['kind'], outcome: JobOutcome) => void;
}

/** What became of a job: handed to a thread (`run`), dropped while queued (`cancelled`), or refused with the lane full. */
export type JobOutcome = 'run' | 'cancelled' | 'refused';

/** The sanitised HTML of a message, rendered for the reader's iframe. */
export interface HtmlJob {
  html: string;
  allowRemote: boolean;
  /** Content-ID -> URL of that inline attachment. */
  contentIdUrls: Array<[string, string]>;
}

/**
 * Work on message content, off the main thread. What cannot be parsed comes
 * back flagged as failed, and HTML that cannot be rendered in time comes
 * back as a notice. Rejects with a WorkersBusyError when the job's lane is
 * full, with a CancelledError when `signal` aborts before a thread takes
 * the job (a job a thread has taken runs to its end), and otherwise only when
 * not even a fallback answer can be made (an installation with files
 * missing): the store then reports the message as unreadable for now (503)
 * rather than read, and the Redis store refuses it with 451.
 */
export interface WorkerPool {
  /** What lists and live events show of a message: the digest only, so little crosses between threads. Goes ahead of reads. */
  digest(raw: Buffer, signal?: AbortSignal): Promise<MessageDigest>;
  /** The full parse and its digest, for readers. */
  parse(raw: Buffer, signal?: AbortSignal): Promise<ReadMessage>;
  /** The sanitised HTML document. */
  renderHtml(job: HtmlJob, signal?: AbortSignal): Promise<RenderedHtml>;
  /** The deliverability report, or the reason none could be made (the thread failed or overran its time). */
  report(raw: Buffer, facts: ReportFacts, signal?: AbortSignal): Promise<DeliverabilityReport | { failure: string }>;
  /**
   * Starts every thread now and has each load and run once what reads need;
   * resolves with each thread's answer once all have answered (a thread that
   * stops meanwhile answers with a failure). Threads that replace failed ones
   * later are warmed too.
   */
  warm(): Promise<WarmReply[]>;
  close(): Promise<void>;
}

interface Task {
  job: PoolJob;
  settle: (reply: WorkerReply) => void;
  fail: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Shared with the thread, reused job after job; null until a job needs it. */
  scratch: SharedArrayBuffer | null;
  /** The thread's answer to the warm-up, once asked for; null until then. */
  warmed: Promise<WarmReply> | null;
  answerWarm: (reply: WarmReply) => void;
}

// V8 sizes a thread's young generation from the machine's memory (up to 48 MB
// here), and garbage sits in it until it fills: under a flood of mail that
// was about 120 MB across two workers (BENCHMARKS.md). Their garbage is
// short-lived, so a small one costs little.
const WORKER_YOUNG_GENERATION_MB = 8;

// A scratch area grows in these steps to the largest message its worker has
// read, and is kept: at most the message size limit per worker. Replacing it
// after every big message would bring back the cost wireJob describes.
const SCRATCH_STEP = 64 * 1024;

/**
 * A fixed set of worker threads fed from two lanes, digests first. A worker
 * that crashes, runs out of heap or overruns the time budget is replaced, and
 * its job is answered as a failure rather than lost.
 *
 * A running job whose requesters have all gone is left to finish rather than
 * its thread replaced: starting a thread costs more than the rest of most
 * renders (BENCHMARKS.md, "Render cost by input size"), and the result is
 * cached, so the next request for it is free.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const queue = createJobQueue<Task>(options.maxQueuedPerLane);
  const slots = new Set<Slot>();
  const answering = new Set<Promise<void>>();
  let nextId = 0;
  let closed = false;
  let warmEachThread = false;

  // Rare, so loaded on first use: it needs mailparser and sanitize-html, which
  // the main thread otherwise never loads (about 40 MB of memory).
  function answerUnfinished(task: Task, reason: string): void {
    const answered = import('./fallback.js')
      .then(({ fallbackReply }) => fallbackReply(task.job, reason))
      .then(task.settle, task.fail)
      .finally(() => answering.delete(answered));
    answering.add(answered);
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
    slot.answerWarm({ kind: 'warm', ms: 0, failure: 'the thread stopped before it was warm' });
    const task = slot.task;
    if (slot.timer !== null) clearTimeout(slot.timer);
    void slot.worker.terminate();
    if (task !== null) answerUnfinished(task, reason);
    if (!closed) spawn();
    dispatch();
  }

  function spawn(): void {
    const worker = new Worker(workerBootstrap(), {
      eval: true,
      workerData: options.report ?? null,
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      // stdout is the server's log stream, one JSON object a line: what a
      // library prints from a thread (mailauth does, for some signatures) is
      // dropped rather than mixed into it.
      stdout: true,
    });
    worker.stdout.resume();
    worker.unref();
    const slot: Slot = { worker, task: null, timer: null, scratch: null, warmed: null, answerWarm: () => {} };
    slots.add(slot);
    worker.on('message', (reply: WorkerReply | WarmReply) => reply.kind === 'warm' ? slot.answerWarm(reply) : finish(slot, reply));
    worker.on('error', (error) => replace(slot, 'the parser failed on it', error));
    worker.on('exit', () => replace(slot, 'the parser stopped while reading it'));
    if (warmEachThread) warmThread(slot);
  }

  function warmThread(slot: Slot): Promise<WarmReply> {
    slot.warmed ??= new Promise((answer) => {
      slot.answerWarm = answer;
      slot.worker.postMessage({ kind: 'warm' } satisfies WarmRequest);
    });
    return slot.warmed;
  }

  function dispatch(): void {
    for (const slot of slots) {
      const task = slot.task === null ? queue.take() : undefined;
      if (task === undefined) continue;
      options.onJob?.(task.job.kind, 'run');
      slot.task = task;
      slot.timer = setTimeout(() => replace(slot, `it took longer than ${options.timeoutMs / 1_000} s`), options.timeoutMs);
      slot.worker.postMessage(wireJob(slot, task.job));
    }
  }

  function submit(job: DistributiveOmit<PoolJob, 'id'>, signal?: AbortSignal): Promise<WorkerReply> {
    return new Promise((settle, fail) => {
      const task: Task = { job: { ...job, id: nextId++ } as PoolJob, settle, fail };
      if (closed) return answerUnfinished(task, 'the server is shutting down');
      const lane: Lane = job.kind === 'digest' ? 'digest' : 'read';
      const cancel = () => {
        options.onJob?.(job.kind, 'cancelled');
        fail(new CancelledError());
      };
      if (!queue.add(lane, task, signal, cancel)) {
        options.onJob?.(job.kind, 'refused');
        return fail(new WorkersBusyError(lane));
      }
      // Unless warm() started them, threads start with the first job, so a process that never reads mail never pays for them.
      while (slots.size < Math.max(1, options.workers)) spawn();
      dispatch();
    });
  }

  return {
    async digest(raw, signal) {
      const reply = await submit({ kind: 'digest', raw }, signal);
      if (reply.kind !== 'digest') throw new Error('a worker answered the wrong kind of job');
      return reply.digest;
    },
    async parse(raw, signal) {
      const reply = await submit({ kind: 'parse', raw }, signal);
      if (reply.kind !== 'parse') throw new Error('a worker answered the wrong kind of job');
      return { parsed: withBuffers(reply.parsed), digest: reply.digest };
    },
    async renderHtml(job, signal) {
      const reply = await submit({ kind: 'html', ...job }, signal);
      if (reply.kind !== 'html') throw new Error('a worker answered the wrong kind of job');
      const { document, blockedRemoteCount } = reply;
      return { document: Buffer.from(document.buffer, document.byteOffset, document.byteLength), blockedRemoteCount };
    },
    async report(raw, facts, signal) {
      const reply = await submit({ kind: 'report', raw, facts }, signal);
      if (reply.kind !== 'report') throw new Error('a worker answered the wrong kind of job');
      return reply.report ?? { failure: reply.failure ?? 'the report could not be made' };
    },
    warm() {
      warmEachThread = true;
      while (slots.size < Math.max(1, options.workers)) spawn();
      return Promise.all([...slots].map(warmThread));
    },
    async close() {
      closed = true;
      for (const task of queue.drain()) answerUnfinished(task, 'the server is shutting down');
      const stopping = [...slots];
      slots.clear();
      await Promise.all(stopping.map(async (slot) => {
        if (slot.task !== null) answerUnfinished(slot.task, 'the server is shutting down');
        if (slot.timer !== null) clearTimeout(slot.timer);
        slot.answerWarm({ kind: 'warm', ms: 0, failure: 'the server is shutting down' });
        await slot.worker.terminate();
      }));
      await Promise.all([...answering]);
    },
  };
}

/**
 * The job as posted: raw bytes are copied (one memcpy) into the slot's scratch
 * area, which the thread reads in place. Posting a Buffer instead serialises
 * and copies it on this thread and leaves the copy as garbage in the worker's
 * heap: 13-16% of the SMTP thread's time at 200 KB (BENCHMARKS.md). A
 * SharedArrayBuffer per message was no better: each lives until both threads
 * have collected it, and a flood of mail held 1.4 GB.
 */
function wireJob(slot: Slot, job: PoolJob): WorkerJob {
  if (job.kind === 'html') return job;
  if (slot.scratch === null || slot.scratch.byteLength < job.raw.length) {
    slot.scratch = new SharedArrayBuffer(Math.max(1, Math.ceil(job.raw.length / SCRATCH_STEP)) * SCRATCH_STEP);
  }
  new Uint8Array(slot.scratch).set(job.raw);
  const raw = { scratch: slot.scratch, length: job.raw.length };
  return job.kind === 'report' ? { id: job.id, kind: job.kind, raw, facts: job.facts } : { id: job.id, kind: job.kind, raw };
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
