import { parentPort } from 'node:worker_threads';
import { renderSafeHtml } from '../http/safe-html.js';
import { digestMessage } from '../mail/digest.js';
import { parseMessage } from '../mail/parse.js';
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
  const parsed = await parseMessage(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength));
  return job.kind === 'digest'
    ? { id: job.id, kind: 'digest', digest: digestMessage(parsed) }
    : { id: job.id, kind: 'parse', parsed };
}

port.on('message', (job: WorkerJob) => {
  run(job).then((reply) => port.postMessage(reply));
});
