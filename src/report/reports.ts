import { createWorkCache } from '../runtime/work-cache.js';
import type { Store, StoredMessage } from '../store/store.js';
import type { ReportSubject } from './build-report.js';
import type { DeliverabilityReport } from './report.js';

/** Thrown when no report could be made of a message (its thread failed or ran out of time); the reason is a sentence fragment. */
export class ReportFailedError extends Error {
  constructor(readonly reason: string) {
    super(`no report could be made: ${reason}`);
    this.name = 'ReportFailedError';
  }
}

/** Options of the report cache. */
export interface ReportsOptions {
  store: Pick<Store, 'subscribe'>;
  /** Makes a report (in a report thread): the report, or why there is none. */
  make: (subject: ReportSubject, signal: AbortSignal) => Promise<DeliverabilityReport | { failure: string }>;
  /** Bytes of reports kept (counted as their JSON). */
  cacheBytes: number;
}

/** Reports by message. */
export interface Reports {
  /**
   * The report of a stored message: cached, or made once however many ask.
   * Rejects with a ReportFailedError when none could be made (not cached,
   * so the next request tries again), or a CancelledError when `signal` aborts.
   */
  get(stored: StoredMessage, signal?: AbortSignal): Promise<DeliverabilityReport>;
}

/**
 * A report is of a message as it was received, so it never changes: it is
 * made once, in a thread (DNS lookups and a full parse), and kept until the
 * message leaves; unless a lookup failed, which the next request retries.
 */
export function createReports({ store, make, cacheBytes }: ReportsOptions): Reports {
  const reports = createWorkCache<DeliverabilityReport>({ maxBytes: cacheBytes, sizeOf: (report) => JSON.stringify(report).length });
  store.subscribe((event) => {
    if (event.type !== 'message') reports.forget(event.id);
  });
  return {
    async get(stored, signal) {
      const report = await reports.get(stored.head.id, async (makeSignal) => {
        const made = await make(subjectOf(stored), makeSignal);
        if ('failure' in made) throw new ReportFailedError(made.failure);
        return made;
      }, signal);
      // A DNS failure may be gone in a minute: such a report is answered, not kept.
      if (hasTemporaryError(report)) reports.forget(stored.head.id);
      return report;
    },
  };
}

/** What a report reads of a stored message. */
function subjectOf({ raw, envelope, head }: StoredMessage): ReportSubject {
  return { raw, mailFrom: envelope.mailFrom, session: envelope.session ?? null, receivedAt: head.receivedAt };
}

function hasTemporaryError({ authentication }: DeliverabilityReport): boolean {
  const { spf, dkim, dmarc, arc } = authentication;
  return [spf, ...dkim, dmarc, arc].some((verdict) => verdict.result === 'temperror');
}
