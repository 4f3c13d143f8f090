// Run by worker-heap.test.ts in a process of its own, started with the image's
// Node.js options and --trace-gc: one parse worker reads the same mail many times.
import { createWorkerPool } from '../../src/worker/pool.js';

const paragraphs = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} with <a href="https://example.com/${i}">a link</a>.</p>`);
const raw = Buffer.from([
  'From: app@example.com', 'To: someone@ephemail.test', 'Subject: Your code is 482913', 'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '',
  'Your code is 482913. '.repeat(300), '--b', 'Content-Type: text/html; charset=utf-8', '',
  `<html><body>${paragraphs.join('\r\n')}</body></html>`, '--b--', '',
].join('\r\n'));
const pool = createWorkerPool({ workers: 1, timeoutMs: 30_000, workerHeapMb: 128 });
for (let i = 0; i < Number(process.argv[2]); i++) await pool.parse(raw);
await pool.close();
