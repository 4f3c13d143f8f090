// Run by worker-heap.test.ts in a process of its own, started with the image's
// Node.js options and --trace-gc: one parse worker reads the benchmark's 10 KB mail many times.
import { createWorkerPool } from '../../src/worker/pool.js';
import { messageFactory, rawSize } from '../bench/messages.js';

const block = messageFactory('text10k')('someone@ephemail.test', 'heap probe');
const raw = block.subarray(0, rawSize(block));
const pool = createWorkerPool({ workers: 1, timeoutMs: 30_000, workerHeapMb: 128 });
for (let i = 0; i < Number(process.argv[2]); i++) await pool.parse(raw);
await pool.close();
