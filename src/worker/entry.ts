import { parentPort } from 'node:worker_threads';
import { renderSafeHtml } from '../http/safe-html.js';
import { parseMessage } from '../mail/parse.js';
import { quickDigest } from '../mail/quick-digest.js';
import type { WorkerJob, WorkerReply } from './jobs.js';

// The worker thread's wiring, as src/app.ts is the main thread's: parsing and
// sanitising hostile or huge mail here can take as long as it likes without
// stalling SMTP, HTTP or WebSocket traffic.
const port = parentPort;
if (port === null) throw new Error('src/worker/entry.ts must run in a worker thread');

async function run(job: WorkerJob): Promise<WorkerReply> {
  if (job.kind === 'html') {
    const urls = new Map(job.contentIdUrls);
    const safeHtml = renderSafeHtml(job.html, { allowRemote: job.allowRemote, resolveContentId: (cid) => urls.get(cid) ?? null });
    return { id: job.id, kind: 'html', safeHtml };
  }
  const shared = Buffer.from(job.raw.scratch, 0, job.raw.length);
  // Intake keeps only the digest, so it skips the full parse that readers get.
  // The digest is made of strings. A parse gets its own copy: mailparser copies
  // attachment contents today, but were one a view of its input, the reply
  // would share the scratch area with the main thread, and the next job
  // would overwrite the attachment there.
  return job.kind === 'digest'
    ? { id: job.id, kind: 'digest', digest: quickDigest(shared) }
    : { id: job.id, kind: 'parse', parsed: await parseMessage(Buffer.from(shared)) };
}

port.on('message', (job: WorkerJob) => {
  run(job).then((reply) => port.postMessage(reply));
});
