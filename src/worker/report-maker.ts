import { buildReport, type ReportSubject } from '../report/build-report.js';
import { createDnsLookup } from '../report/dns-resolver.js';
import type { DeliverabilityReport } from '../report/report.js';
import type { ReportSettings } from './jobs.js';

/** Makes one message's report in a report thread. */
export type ReportMaker = (subject: ReportSubject) => Promise<DeliverabilityReport>;

// Each report's lookups end within DNS_BUDGET_MS, well inside the pool's
// time for a job, so DNS that never answers gives temperrors, not a failed
// report. One query gets a third of it: an SPF record chains several.
const DNS_BUDGET_MS = 4_000;
const DNS_LIMITS = { queryTimeoutMs: 1_500, maxInFlight: 16, cacheEntries: 2_000, cacheTtlMs: 60_000 };

/** The report maker of one thread, with the thread's own DNS cache. */
export function createReportMaker(settings: ReportSettings): ReportMaker {
  const lookup = settings.dns.kind === 'off' ? null : createDnsLookup(settings.dns, DNS_LIMITS);
  return (subject) => buildReport(subject, { lookup, receiver: settings.receiver, dnsBudgetMs: DNS_BUDGET_MS, now: Date.now });
}
