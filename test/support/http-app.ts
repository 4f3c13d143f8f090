import { pino } from 'pino';
import { parseConfig } from '../../src/config/config.js';
import { createHttpApp } from '../../src/http/app.js';
import { createHttpLimits, type HttpLimitSettings } from '../../src/http/limits/limits.js';
import { createRefusalLog } from '../../src/http/limits/refusal-log.js';
import { renderSafeHtml } from '../../src/sanitize/html.js';
import { createHub } from '../../src/hub/hub.js';
import { checkAddress, type DomainPolicy } from '../../src/mail/address/address.js';
import { digestRaw, readMessage } from '../../src/mail/read/digest.js';
import { buildReport } from '../../src/report/build-report.js';
import { createReports } from '../../src/report/reports.js';
import { createHtmlDocuments } from '../../src/mail/read/html-documents.js';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { createSummaries } from '../../src/mail/read/summaries.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import type { WorkerPool } from '../../src/worker/pool.js';
import { createManualClock } from './manual-clock.js';

/** Options a test may change. */
export interface TestAppOptions {
  ttlMs?: number;
  waitMaxMs?: number;
  inboxLimit?: number;
  domains?: DomainPolicy;
  /** Rate limits and waiter caps; the documented defaults unless given. */
  limits?: Partial<HttpLimitSettings>;
  /** Runs as each digest read starts. */
  onDigest?: () => void;
  /** Make reports in these threads, as src/app.ts does, rather than in this thread without DNS. */
  reportWorkers?: WorkerPool;
  /** Parse and render in these worker threads, as src/app.ts does, rather than in this thread. */
  workers?: WorkerPool;
  /** Whether /healthz reports the workers warm; always, unless given (reads in this thread need no warming). */
  isWarm?: () => boolean;
  /** Whether /readyz reports the server stopping; never, unless given. */
  isStopping?: () => boolean;
}

/**
 * The real HTTP app over a real memory store, with a manual clock, for tests
 * that call `app.request()` without opening sockets. `deliver` runs the same
 * intake path as SMTP.
 */
export function buildTestApp(options: TestAppOptions = {}) {
  const clock = createManualClock(Date.now());
  const ttlMs = options.ttlMs ?? 3_600_000;
  // Wired as src/app.ts does.
  const hub = createHub();
  const store = createMemoryStore({ ttlMs, memoryLimit: 64 * 1024 * 1024, memoryShare: null, inboxLimit: options.inboxLimit ?? 200, clock });
  store.subscribe((event) => hub.publish(event));
  // Counted, so tests can tell how many trips to a parse worker a request would take.
  const parses = { count: 0 };
  const parse = (raw: Buffer, signal: AbortSignal) => {
    parses.count++;
    return options.workers?.parse(raw, signal) ?? readMessage(raw);
  };
  const reader = createMessageReader({ parse, cacheBytes: 8 * 1024 * 1024 });
  // Counted, so tests can tell whether a document came from the cache.
  const renders = { count: 0 };
  // Counted, so tests can tell whether a report came from the cache.
  const reportsMade = { count: 0 };
  const readDigest = (raw: Buffer, signal: AbortSignal) => {
    parses.count++;
    options.onDigest?.();
    return options.workers?.digest(raw, signal) ?? digestRaw(raw);
  };
  const summaries = createSummaries({ store, reader, readDigest, cacheBytes: 1024 * 1024 });
  const domains = options.domains ?? { domains: ['ephemail.test'], defaultDomain: 'ephemail.test', catchAll: true, simulatorDomain: 'simulator.ephemail.test' };
  const metrics = createMetrics(() => store.stats());
  const refusals = createRefusalLog({ metrics, log: pino({ level: 'silent' }), clock });
  const limits = createHttpLimits({ ...parseConfig([], {}).http, ...options.limits }, { clock, refusals });
  const app = createHttpApp({
    store, hub, summaries, reader, clock, domains, ttlMs, limits,
    renderHtml: async (job, signal) => {
      renders.count++;
      if (options.workers !== undefined) return options.workers.renderHtml(job, signal);
      const { html, allowRemote, contentIdUrls } = job;
      const urls = new Map(contentIdUrls);
      const { document, blockedRemoteCount } = renderSafeHtml(html, { allowRemote, resolveContentId: (cid) => urls.get(cid) ?? null });
      return { document: Buffer.from(document), blockedRemoteCount };
    },
    documents: createHtmlDocuments({ store, cacheBytes: 8 * 1024 * 1024 }),
    // Made in-process without DNS (as with --dns-servers off) unless a report pool is given; test/deliverability/ runs a real DNS server.
    reports: createReports({
      store,
      make: ({ raw, ...facts }, signal) => {
        reportsMade.count++;
        return options.reportWorkers?.report(raw, facts, signal)
          ?? buildReport({ raw, ...facts }, { lookup: null, receiver: domains.defaultDomain, dnsBudgetMs: 0, now: () => clock.now() });
      },
      cacheBytes: 1024 * 1024,
    }),
    waitMaxMs: options.waitMaxMs ?? 120_000,
    metrics,
    isWarm: options.isWarm ?? (() => true),
    isStopping: options.isStopping ?? (() => false),
    log: pino({ level: 'silent' }),
  });
  /** Stores `raw` for each recipient as SMTP would. */
  async function deliver(raw: string | Buffer, recipients: string[]) {
    const normalised = recipients.map((recipient) => {
      const check = checkAddress(recipient, { smtpUtf8: true });
      if (!check.ok) throw new Error(check.reason.text);
      return { inbox: check.address.inbox, tag: check.address.tag };
    });
    const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
    return store.add({ envelope: { mailFrom: 'sender@example.com', rcptTo: recipients }, sender: '127.0.0.1', raw: bytes, recipients: normalised });
  }

  return { app, store, summaries, hub, clock, deliver, domains, ttlMs, limits, parses, renders, reportsMade };
}

/** A small but real message. */
export function rawMessage(options: { subject?: string; text?: string; html?: string; from?: string; to?: string } = {}): string {
  const headers = [
    `From: ${options.from ?? 'Shop <shop@example.com>'}`,
    `To: ${options.to ?? 'someone@ephemail.test'}`,
    `Subject: ${options.subject ?? 'Welcome'}`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    'Message-ID: <test@example.com>',
    'MIME-Version: 1.0',
  ];
  if (options.html === undefined) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', '', options.text ?? 'Hello there', ''].join('\r\n');
  }
  return [
    ...headers, 'Content-Type: multipart/alternative; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain; charset=utf-8', '', options.text ?? 'Hello there',
    '--b1', 'Content-Type: text/html; charset=utf-8', '', options.html,
    '--b1--', '',
  ].join('\r\n');
}
