import { renderSafeHtml, type SafeHtml } from '../sanitize/html.js';
import { digestMessage } from '../mail/read/digest.js';
import { failedMessage } from '../mail/parse/parse.js';
import { htmlReply, type PoolJob, type WorkerReply } from './jobs.js';

/**
 * The answer to a job no thread finished (it crashed, ran out of heap or
 * time, or the pool closed): the message kept unparsed and flagged with the
 * reason, a notice in place of its HTML, or no report and the reason.
 */
export function fallbackReply(job: PoolJob, reason: string): WorkerReply {
  if (job.kind === 'html') return htmlReply(job.id, htmlNotice(reason));
  if (job.kind === 'report') return { id: job.id, kind: 'report', report: null, failure: reason };
  const parsed = failedMessage(job.raw, new Error(reason));
  const digest = digestMessage(parsed);
  return job.kind === 'digest' ? { id: job.id, kind: 'digest', digest } : { id: job.id, kind: 'parse', parsed, digest };
}

/** What the reader sees when a message's HTML could not be rendered safely. */
function htmlNotice(reason: string): SafeHtml {
  return renderSafeHtml(`<p>This message's HTML could not be shown safely because ${reason}. Read its plain text instead.</p>`, {
    allowRemote: false,
    resolveContentId: () => null,
  });
}
