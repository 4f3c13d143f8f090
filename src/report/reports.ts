import { LRUCache } from 'lru-cache';
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
   * Rejects with a ReportFailedError when none could be made (answered so
   * for RETRY_AFTER_MS), or a CancelledError when `signal` aborts.
   */
  get(stored: StoredMessage, signal?: AbortSignal): Promise<DeliverabilityReport>;
}

/** How long a report with a DNS failure, or the failure to make one, is kept before the next request tries again. */
export const RETRY_AFTER_MS = 30_000;

/**
 * A report is of a message as it was received, so it never changes: it is
 * made once, in a thread (DNS lookups and a full parse), and kept while the
 * message is (up to `cacheBytes` of reports, least recently used out first);
 * a report with a DNS failure, or a failure to make one, for RETRY_AFTER_MS.
 */
export function createReports({ store, make, cacheBytes }: ReportsOptions): Reports {
  const reports = createWorkCache<DeliverabilityReport>({
    maxBytes: cacheBytes,
    sizeOf: (report) => JSON.stringify(report).length,
    // A DNS failure may be gone in a minute.
    keepMs: (report) => (hasTemporaryError(report) ? RETRY_AFTER_MS : undefined),
  });
  // A message whose report overran its thread's time would overrun it again:
  // each retry would cost a thread 15 s, so the failure is answered at once for a while.
  const failures = new LRUCache<string, string>({ max: 10_000, ttl: RETRY_AFTER_MS });
  store.subscribe((event) => {
    if (event.type === 'message') return;
    reports.forget(event.id);
    failures.delete(event.id);
  });
  return {
    get(stored, signal) {
      const id = stored.head.id;
      const failure = failures.get(id);
      if (failure !== undefined) return Promise.reject(new ReportFailedError(failure));
      return reports.get(id, async (makeSignal) => {
        const made = await make(subjectOf(stored), makeSignal);
        if (!('failure' in made)) return made;
        failures.set(id, made.failure);
        throw new ReportFailedError(made.failure);
      }, signal);
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
