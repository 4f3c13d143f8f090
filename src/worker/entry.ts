import { parentPort, workerData } from 'node:worker_threads';
import type { renderSafeHtml as RenderSafeHtml } from '../sanitize/html.js';
import type { ReportMaker } from './report-maker.js';
import { readMessage } from '../mail/read/digest.js';
import { leanDigest } from '../mail/read/lean-digest.js';
import { htmlReply, type ReportSettings, type WarmRequest, type WorkerJob, type WorkerReply } from './jobs.js';

// The worker thread's wiring, as src/app.ts is the main thread's: parsing and
// sanitising hostile or huge mail here can take as long as it likes without
// stalling SMTP, HTTP or WebSocket traffic.
const port = parentPort;
if (port === null) throw new Error('src/worker/entry.ts must run in a worker thread');

/**
 * Answers jobs. The sanitiser (sanitize-html, postcss) is loaded with the
 * first HTML to render unless the pool warmed the thread (warm-up.ts) first.
 */
function createJobRunner(reportSettings: ReportSettings | null): (job: WorkerJob) => Promise<WorkerReply> {
  let sanitiser: Promise<typeof RenderSafeHtml> | null = null;
  // Likewise mailauth and the checks, in the report pool's threads only; its resolver and DNS cache live as long as the thread.
  let reportMaker: Promise<ReportMaker> | null = null;
  return async (job) => {
    if (job.kind === 'html') {
      sanitiser ??= import('../sanitize/html.js').then((module) => module.renderSafeHtml);
      const renderSafeHtml = await sanitiser;
      const urls = new Map(job.contentIdUrls);
      return htmlReply(job.id, renderSafeHtml(job.html, { allowRemote: job.allowRemote, resolveContentId: (cid) => urls.get(cid) ?? null }));
    }
    // Its own copy of the bytes: mailparser copies attachment contents today,
    // but were one a view of its input, the reply would share the scratch
    // area with the main thread, and the next job would overwrite it there.
    const raw = Buffer.from(Buffer.from(job.raw.scratch, 0, job.raw.length));
    if (job.kind === 'report') {
      if (reportSettings === null) throw new Error('this worker pool was made without report settings');
      const settings = reportSettings;
      reportMaker ??= import('./report-maker.js').then((module) => module.createReportMaker(settings));
      // Answered rather than thrown: a throw would take the thread, and its DNS cache, down with it.
      try {
        const report = await (await reportMaker)({ raw, ...job.facts });
        return { id: job.id, kind: 'report', report, failure: null };
      } catch (error) {
        return { id: job.id, kind: 'report', report: null, failure: `reading it failed (${error instanceof Error ? error.message : String(error)})` };
      }
    }
    // A digest job sends back only the digest's few strings, and reads no
    // more than they need: the lean digest equals the full parse's digest
    // without decoding attachments (src/mail/read/lean-digest.ts).
    return job.kind === 'digest'
      ? { id: job.id, kind: 'digest', digest: await leanDigest(raw) }
      : { id: job.id, kind: 'parse', ...await readMessage(raw) };
  };
}

const run = createJobRunner(workerData as ReportSettings | null);

port.on('message', (job: WorkerJob | WarmRequest) => {
  // Only parse pools ask: report threads load what they need with their first report.
  if (job.kind === 'warm') {
    void import('./warm-up.js').then(({ warmUp }) => warmUp()).then((reply) => port.postMessage(reply));
    return;
  }
  run(job).then((reply) => port.postMessage(reply, reply.kind === 'html' ? [reply.document.buffer] : []));
});
