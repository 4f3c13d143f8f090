import { Worker } from 'node:worker_threads';
import { styleHeavyHtml } from '../support/style-heavy-html.js';

/**
 * What reading one HTML-only message costs in a fresh worker set up as the
 * pool's (128 MB old generation, 8 MB young): the full parse a reader's
 * request runs (readMessage) and the lean digest a listing runs
 * (leanDigest), each in a worker of its own; wall time and the heap the
 * isolate committed, or that it ran out. The shapes of render-cost.ts, lines
 * folded at 900 characters. `npx tsx test/bench/parse-cost.ts [MB...]`
 * (default 1 3 6 9 10; 0.015625 is 16 KiB); BENCHMARKS.md, "Parse and digest cost by input size".
 */
const sizes = process.argv.slice(2).map(Number);
const HEAP_MB = 128;
// Well past the pool's 10 s budget, so a parse over it still shows how long it takes.
const GIVE_UP_MS = 30_000;
const SHAPES: Record<string, (bytes: number) => string> = {
  'style-heavy': styleHeavyHtml,
  dense: (bytes) => '<p>a'.repeat(Math.ceil(bytes / 4)),
  // Quotes nested as deep as mailparser's guard allowed, again and again, cut at the size.
  'nested quotes': (bytes) => `${'<blockquote><p>Quoted'.repeat(990)}${'</blockquote>'.repeat(990)}`.repeat(Math.ceil(bytes / 33_660)).slice(0, bytes),
  // The costliest shape the bound on nested work lets through: paragraphs in 8 quotes.
  '8 quotes deep': (bytes) => `${'<blockquote>'.repeat(8)}${'<p>a'.repeat(Math.ceil(bytes / 4))}${'</blockquote>'.repeat(8)}`,
};
const JOBS = {
  'full parse': { module: '../../src/mail/read/digest.ts', name: 'readMessage' },
  'lean digest': { module: '../../src/mail/read/lean-digest.ts', name: 'leanDigest' },
};

const body = `
const { parentPort, workerData } = require('node:worker_threads');
const v8 = require('node:v8');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.module); }).then((module) => {
  parentPort.on('message', async (raw) => {
    const started = performance.now();
    const result = await module[workerData.name](Buffer.from(raw));
    const ms = performance.now() - started;
    const failed = result.parsed?.failed ?? result.parseFailed;
    parentPort.postMessage({ ms, heapMb: v8.getHeapStatistics().total_heap_size / 2 ** 20, failed });
  });
  parentPort.postMessage('ready');
});`;

function message(html: string): Buffer {
  const headers = ['From: a@example.com', 'To: x@ephemail.test', 'Subject: cost', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8'];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${html.replace(/(.{900})/g, '$1\r\n')}\r\n`);
}

function milliseconds(ms: number): string {
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

async function measure(job: keyof typeof JOBS, raw: Buffer): Promise<string> {
  const worker = new Worker(body, {
    eval: true,
    workerData: { module: new URL(JOBS[job].module, import.meta.url).href, name: JOBS[job].name },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 8 },
  });
  const timer = setTimeout(() => void worker.terminate(), GIVE_UP_MS);
  try {
    return await new Promise((resolve) => {
      let started = 0;
      worker.on('message', (reply: 'ready' | { ms: number; heapMb: number; failed: boolean }) => {
        if (reply !== 'ready') return resolve(`${milliseconds(reply.ms)}, ${reply.heapMb.toFixed(0)} MB${reply.failed ? ', failed' : ''}`);
        started = performance.now();
        worker.postMessage(raw);
      });
      worker.on('error', (error: Error & { code?: string }) => resolve(`${error.code ?? error.message} after ${milliseconds(performance.now() - started)}`));
      worker.on('exit', () => resolve(`gave up after ${GIVE_UP_MS / 1000} s`));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

console.log(`| shape | HTML | full parse: time, heap (limit ${HEAP_MB} MB) | lean digest: time, heap |`);
console.log('|---|--:|--:|--:|');
for (const shape of Object.keys(SHAPES)) {
  for (const megabytes of sizes.length > 0 ? sizes : [1, 3, 6, 9, 10]) {
    const raw = message(SHAPES[shape]!(megabytes * 2 ** 20));
    console.log(`| ${shape} | ${megabytes} MiB | ${await measure('full parse', raw)} | ${await measure('lean digest', raw)} |`);
  }
}
