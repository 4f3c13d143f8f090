import { parentPort } from 'node:worker_threads';
import { digestMessage } from './digest.js';
import { parseMessage } from './parse.js';
import type { ParseJob, ParseReply } from './parse-pool.js';

// Runs in a worker thread: parsing a hostile or huge message here can take
// as long as it likes without stalling SMTP, HTTP or WebSocket traffic.
const port = parentPort;
if (port === null) throw new Error('parse-worker.ts must run in a worker thread');

port.on('message', (job: ParseJob) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  parseMessage(raw).then((parsed) => {
    const reply: ParseReply = job.kind === 'digest'
      ? { id: job.id, kind: 'digest', digest: digestMessage(parsed) }
      : { id: job.id, kind: 'parse', parsed };
    port.postMessage(reply);
  });
});
