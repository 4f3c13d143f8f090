import { Worker } from 'node:worker_threads';
import { styleHeavyHtml } from '../support/style-heavy-html.js';

/**
 * What one render costs in a fresh worker set up as the pool's (128 MB old
 * generation, 8 MB young): wall time and the heap the isolate committed, or
 * that it ran out. Two shapes: a newsletter's style-heavy table cells, and
 * the densest markup (`<p>a` over and over), whose cost per byte is the
 * highest measured. `npx tsx test/bench/render-cost.ts [MB...]` (default
 * 1 3 6 9 10); BENCHMARKS.md, "Render cost by input size".
 */
const sizes = process.argv.slice(2).map(Number);
const HEAP_MB = 128;
const SHAPES: Record<string, (bytes: number) => string> = {
  'style-heavy': styleHeavyHtml,
  dense: (bytes) => '<p>a'.repeat(Math.ceil(bytes / 4)),
};

const body = `
const { parentPort, workerData } = require('node:worker_threads');
const v8 = require('node:v8');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.module); }).then(({ renderSafeHtml }) => {
  parentPort.on('message', (html) => {
    const started = performance.now();
    const { document } = renderSafeHtml(html, { allowRemote: false, resolveContentId: () => null });
    const ms = performance.now() - started;
    const heap = v8.getHeapStatistics();
    parentPort.postMessage({ ms, documentBytes: Buffer.byteLength(document), heapMb: heap.total_heap_size / 2 ** 20, notice: document.includes('left out') });
  });
  parentPort.postMessage('ready');
});`;

async function measure(shape: string, megabytes: number): Promise<string> {
  const html = SHAPES[shape]!(megabytes * 2 ** 20);
  const worker = new Worker(body, {
    eval: true,
    workerData: { module: new URL('../../src/sanitize/html.ts', import.meta.url).href },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 8 },
  });
  try {
    return await new Promise((resolve) => {
      worker.on('message', (reply: 'ready' | { ms: number; documentBytes: number; heapMb: number; notice: boolean }) => {
        if (reply === 'ready') return worker.postMessage(html);
        resolve(`| ${shape} | ${megabytes} MB | ${Math.round(reply.ms)} ms | ${reply.heapMb.toFixed(0)} MB | ${(reply.documentBytes / 2 ** 20).toFixed(1)} MB | ${reply.notice ? 'yes' : 'no'} |`);
      });
      worker.on('error', (error: Error & { code?: string }) => resolve(`| ${shape} | ${megabytes} MB | ${error.code ?? error.message} | | | |`));
    });
  } finally {
    await worker.terminate();
  }
}

console.log(`| shape | HTML | render | worker heap after (limit ${HEAP_MB} MB) | document | notice |`);
console.log('|---|--:|--:|--:|--:|---|');
for (const shape of Object.keys(SHAPES)) {
  for (const megabytes of sizes.length > 0 ? sizes : [1, 3, 6, 9, 10]) console.log(await measure(shape, megabytes));
}
