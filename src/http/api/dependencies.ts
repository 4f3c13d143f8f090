import type { Clock } from '../../runtime/clock.js';
import type { Hub } from '../../hub/hub.js';
import type { DomainPolicy } from '../../mail/address/address.js';
import type { HtmlDocuments } from '../../mail/read/html-documents.js';
import type { MessageReader } from '../../mail/read/reader.js';
import type { Summaries } from '../../mail/read/summaries.js';
import type { Reports } from '../../report/reports.js';
import type { Store } from '../../store/store.js';
import type { RenderedHtml } from '../../worker/jobs.js';
import type { HttpLimits } from '../limits/limits.js';

/**
 * Sanitises a message's HTML for the reader's iframe (in a worker thread,
 * since hostile HTML can be slow); `signal` aborts when nobody waits for it.
 */
export type RenderHtml = (
  job: { html: string; allowRemote: boolean; contentIdUrls: Array<[string, string]> }, signal: AbortSignal,
) => Promise<RenderedHtml>;

/** What the API routes are built from. */
export interface ApiDependencies {
  store: Store;
  hub: Hub;
  /** Heads with their digests, for listings and waits. */
  summaries: Summaries;
  reader: MessageReader;
  renderHtml: RenderHtml;
  /** Rendered documents, kept per message. */
  documents: HtmlDocuments;
  /** Deliverability reports, kept per message. */
  reports: Reports;
  clock: Clock;
  domains: DomainPolicy;
  /** Message lifetime, reported to clients. */
  ttlMs: number;
  /** Longest a wait may block. */
  waitMaxMs: number;
  /** Per-client budgets and caps; one set per server (see ../limits/limits.ts). */
  limits: HttpLimits;
}
