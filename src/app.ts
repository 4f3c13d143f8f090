import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { createSystemClock, type Clock } from './runtime/clock.js';
import type { Config, StoreConfig, WebhookConfig } from './config/config.js';
import { createHttpApp } from './http/app.js';
import { createEventSockets } from './http/events/sockets.js';
import { allowedOrigins } from './http/events/origin.js';
import { hardConnectionCap as hardHttpConnectionCap } from './http/limits/connection-limits.js';
import { createHttpLimits } from './http/limits/limits.js';
import { createRefusalLog } from './http/limits/refusal-log.js';
import { createHttpServer } from './http/server.js';
import { createHub, type Hub } from './hub/hub.js';
import type { Logger } from './runtime/log.js';
import { createWorkerPool } from './worker/pool.js';
import { warmParseWorkers, type Warmth } from './worker/warm-start.js';
import { createHtmlDocuments } from './mail/read/html-documents.js';
import { createMessageReader } from './mail/read/reader.js';
import { createSummaries, type Summaries } from './mail/read/summaries.js';
import { createDigestShelf } from './mail/read/digest-shelf.js';
import { createReports, type Reports } from './report/reports.js';
import { addDataDirGauges, createMetrics, type DataDirStatus, type Metrics } from './runtime/metrics.js';
import { DESCRIPTORS_BESIDES_CONNECTIONS, openFileLimit } from './runtime/open-files.js';
import { registerProcessGauges } from './runtime/process-gauges.js';
import { hardConnectionCap as hardSmtpConnectionCap } from './smtp/limits.js';
import { createSmtpIntake } from './smtp/server.js';
import { selfSignedCertificate } from './smtp/tls.js';
import { openStore } from './store/open-store.js';
import type { Store, StoreEvent } from './store/store.js';
import { DEFAULT_KEY_PREFIX } from './store/redis/keys.js';
import type { RedisLimits } from './shared-limits/redis-limits.js';
import { createWebhooks, type Webhooks } from './webhooks/webhooks.js';

/** A running Ephemail: both listeners, and the parts tests and benchmarks look into. */
export interface Ephemail {
  smtpPort: number;
  httpPort: number;
  store: Store;
  hub: Hub;
  /** The store's heads with their digests, as listings show them. */
  summaries: Summaries;
  /**
   * Turns /readyz to 503 `stopping` and keeps serving for the hand-over time,
   * then stops SMTP (letting messages in DATA finish for up to `drainMs`), the
   * event sockets, HTTP and the store.
   */
  close(drainMs?: number): Promise<void>;
}

/** What to start with; the clock is injectable so tests can move time. */
export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /**
   * Whether the parse workers load what reads need before the server reports
   * ready (default true). A harness that starts hundreds of servers which
   * mostly read nothing passes false: each first read then loads them.
   */
  warm?: boolean;
  /**
   * How long close() keeps serving after /readyz turned 503, so that a load
   * balancer's check sees it and sends new connections elsewhere. By default
   * HANDOVER_MS behind a proxy (--trust-proxy or --smtp-proxy-protocol set), else 0.
   */
  handoverMs?: number;
}

const DEFAULT_DRAIN_MS = 10_000;
// Parsed messages kept for repeated reads (a reader opens details, HTML and images in a row).
const PARSED_CACHE_BYTES = 32 * 1024 * 1024;
// Rendered HTML documents kept: a render of a big message costs up to a second of a worker.
const HTML_CACHE_BYTES = 32 * 1024 * 1024;
// Summaries kept for listings and live feeds: some 20,000 typical ones.
const SUMMARY_CACHE_BYTES = 16 * 1024 * 1024;
// A message that takes longer than this to parse is kept raw and flagged; its worker is replaced.
const PARSE_TIMEOUT_MS = 10_000;
// Enough for a 10 MB message (decoded attachments live outside the heap);
// a worker that needs more is replaced. Larger heaps let idle workers hold
// garbage that counted against the memory limit under flood (BENCHMARKS.md).
const PARSE_WORKER_HEAP_MB = 128;
// Deliverability reports kept; one is a few KB, made once per message.
const REPORT_CACHE_BYTES = 8 * 1024 * 1024;
// Report threads: apart from the parse workers, so that reports waiting on
// slow DNS never hold up listings or reads. Started with the first report.
const REPORT_WORKERS = 2;
// A report's DNS lookups end within 4 s (src/worker/report-maker.ts); the rest is a parse and hashing.
const REPORT_TIMEOUT_MS = 15_000;
// Jobs waiting in each lane of the parse workers (digests, reads); one more is
// refused with 503. A queued read costs milliseconds, at worst about a second.
const QUEUED_JOBS_PER_LANE = 64;
// Loading the parse workers takes about half a second; past this, the server serves cold rather than stay "starting".
const WARM_LIMIT_MS = 5_000;
// Twice the check interval of docs/haproxy.cfg (1 s, one failure takes an instance out), so its
// check has seen /readyz answer 503 before the SMTP port starts to refuse.
const HANDOVER_MS = 2_000;
const COLD_START: Warmth = { isWarm: () => true, settled: Promise.resolve() };

/**
 * Wires every part together. Data flows one way: SMTP intake -> store ->
 * hub -> HTTP and WebSocket. This is the only file that knows all of them.
 */
export async function startEphemail({ config, log, clock = createSystemClock(), warm = true, handoverMs = defaultHandover(config) }: StartOptions): Promise<Ephemail> {
  const onListenerError = (error: unknown) => log.error({ err: error }, 'an event listener failed');
  const { store, dataDir } = await openStore(config.store, { clock, log, onListenerError });
  // What was opened so far, closed in reverse if a later step fails: open Redis
  // connections, workers or listeners would keep a failed process from exiting.
  const opened: Array<() => Promise<void>> = [() => store.close()];
  try {
    return await startParts({ config, log, clock, warm, handoverMs, store, dataDir, opened, onListenerError });
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw error;
  }
}

interface PartsOptions extends Required<StartOptions> {
  store: Store;
  dataDir: DataDirStatus | null;
  opened: Array<() => Promise<void>>;
  onListenerError: (error: unknown) => void;
}

/** The report threads and the reports they make, kept per message. */
function startReports(config: Config, store: Store, metrics: Metrics, log: Logger, opened: Array<() => Promise<void>>): Reports {
  const pool = createWorkerPool({
    workers: REPORT_WORKERS,
    timeoutMs: REPORT_TIMEOUT_MS,
    workerHeapMb: PARSE_WORKER_HEAP_MB,
    maxQueuedPerLane: QUEUED_JOBS_PER_LANE,
    report: { dns: config.report.dns, receiver: config.domains.defaultDomain },
    onWorkerFailure: (error) => log.warn({ err: error }, 'a report worker failed; it was replaced'),
    onJob: (kind, outcome) => metrics.workerJobs.inc({ kind, outcome }),
  });
  opened.push(() => pool.close());
  return createReports({
    store,
    make: ({ raw, ...facts }, signal) => pool.report(raw, facts, signal),
    cacheBytes: REPORT_CACHE_BYTES,
  });
}

async function startParts({ config, log, clock, warm, handoverMs, store, dataDir, opened, onListenerError }: PartsOptions): Promise<Ephemail> {
  warnIfFewDescriptors(config, log);
  const metrics = createMetrics(() => store.stats());
  if (dataDir !== null) addDataDirGauges(metrics, dataDir);
  const processGauges = registerProcessGauges(metrics.registry);
  opened.push(async () => processGauges.close());
  const hub = createHub({ onListenerError });
  store.subscribe((event) => {
    countEvent(metrics, event);
    hub.publish(event);
  });

  const workers = createWorkerPool({
    workers: config.parse.workers,
    timeoutMs: PARSE_TIMEOUT_MS,
    workerHeapMb: PARSE_WORKER_HEAP_MB,
    maxQueuedPerLane: QUEUED_JOBS_PER_LANE,
    onWorkerFailure: (error) => log.warn({ err: error }, 'a parse worker failed; it was replaced and the message kept raw'),
    onJob: (kind, outcome) => metrics.workerJobs.inc({ kind, outcome }),
  });
  opened.push(() => workers.close());
  // Started first, so the threads load while the listeners open; SMTP and the API take traffic meanwhile, and reads wait for a thread.
  const warmth = warm ? warmParseWorkers({ pool: workers, clock, log, limitMs: WARM_LIMIT_MS }) : COLD_START;
  const reader = createMessageReader({ parse: (raw, signal) => workers.parse(raw, signal), cacheBytes: PARSED_CACHE_BYTES });
  const summaries = createSummaries({
    store, reader, readDigest: (raw, signal) => workers.digest(raw, signal), cacheBytes: SUMMARY_CACHE_BYTES,
    // A store shared by instances keeps each digest for all of them, so each message is read once.
    shelf: store.notes && createDigestShelf(store.notes),
    onDigest: (source) => metrics.digests.inc({ source }),
  });
  const documents = createHtmlDocuments({ store, cacheBytes: HTML_CACHE_BYTES });
  const webhooks = startWebhooks(config.webhook, { store, summaries, clock, metrics, log });
  if (webhooks !== null) opened.push(async () => webhooks.close());
  const reports = startReports(config, store, metrics, log, opened);
  const shared = await startSharedLimits(config.store, { clock, metrics, log });
  if (shared !== null) opened.push(() => shared.close());
  const smtp = createSmtpIntake({
    shared,
    config: config.smtp,
    domains: config.domains,
    tls: config.smtp.tls ?? await selfSignedCertificate(hostname()),
    deliver: (envelope, raw, recipients, sender) => store.add({ envelope, raw, recipients, sender }),
    shareOf: (sender) => store.shareOf(sender),
    log: log.child({ part: 'smtp' }),
    metrics,
    clock,
  });
  const httpLog = log.child({ part: 'http' });
  // Refused connections and event sockets, counted each and logged once a minute per client.
  const refusals = createRefusalLog({ metrics, log: httpLog, clock });
  // One set for the app and the event sockets: a WebSocket handshake spends the same API budget as a request.
  const httpLimits = createHttpLimits(config.http, { clock, refusals, shared });
  let stopping = false;
  const httpApp = createHttpApp({
    limits: httpLimits,
    store, hub, summaries, reader, documents, reports, clock, metrics,
    renderHtml: (job, signal) => workers.renderHtml(job, signal),
    isWarm: warmth.isWarm,
    isStopping: () => stopping,
    domains: config.domains,
    ttlMs: config.store.ttlMs,
    waitMaxMs: config.http.waitMaxMs,
    log: httpLog,
  });
  const http = createHttpServer({ app: httpApp, config: config.http, refusals, metrics });

  const smtpPort = await smtp.listen();
  opened.push(() => smtp.close(0));
  const httpPort = await http.listen();
  opened.push(() => http.close());
  // Made once the port is bound, because the default allowed origins contain it.
  const eventSockets = createEventSockets({
    server: http.server, hub, summaries, clock,
    domains: config.domains,
    allowedOrigins: allowedOrigins(config.http, httpPort),
    admitClient: httpLimits.admitUpgrade,
    log: log.child({ part: 'ws' }),
  });
  // Ready, for whoever started us, once /healthz says so: the banner comes after this.
  await warmth.settled;

  return {
    smtpPort,
    httpPort,
    store,
    hub,
    summaries,
    async close(drainMs = DEFAULT_DRAIN_MS) {
      // Readiness first, while both ports still serve: a balancer then stops sending new
      // connections here before SMTP answers them 421 and the listeners close.
      stopping = true;
      if (handoverMs > 0) await delay(handoverMs);
      await smtp.close(drainMs);
      // Once intake has stopped: what still waits is lost with the process.
      webhooks?.close();
      // Before HTTP: its close waits for upgraded sockets, which closeAllConnections does not end.
      await eventSockets.close();
      await http.close();
      await workers.close();
      await shared?.close();
      await store.close();
      processGauges.close();
    },
  };
}

/** Behind a proxy a load balancer checks /readyz, and close() gives it time to see the answer change. */
function defaultHandover(config: Config): number {
  return config.http.trustedProxies > 0 || config.smtp.proxyProtocol !== false ? HANDOVER_MS : 0;
}

/** With a Redis store the per-client limits are counted in it for every instance on it (src/shared-limits/); else in this process. */
async function startSharedLimits(config: StoreConfig, { clock, metrics, log }: { clock: Clock; metrics: Metrics; log: Logger }): Promise<RedisLimits | null> {
  if (config.backend.kind !== 'redis') return null;
  // Loaded only when chosen, like the Redis store.
  const { createRedisLimits } = await import('./shared-limits/redis-limits.js');
  return createRedisLimits({ url: config.backend.url, keyPrefix: DEFAULT_KEY_PREFIX, clock, registry: metrics.registry, log: log.child({ part: 'limits' }) });
}

interface WebhookDependencies {
  store: Store;
  summaries: Summaries;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
}

/**
 * The webhooks, when --webhook-url is set. Like the hub, they only listen to
 * the store, which does not know of them; queuing a head is all the listener
 * does, so intake never waits for a receiver.
 */
function startWebhooks(config: WebhookConfig | null, { store, summaries, clock, metrics, log }: WebhookDependencies): Webhooks | null {
  if (config === null) return null;
  const webhooks = createWebhooks({ config, summaries, clock, metrics, log: log.child({ part: 'webhooks' }) });
  store.subscribe((event) => {
    if (event.type === 'message') webhooks.notify(event.message);
  });
  return webhooks;
}

/**
 * One line at start-up when the process may run out of descriptors before
 * its connection caps bind: then good clients, on either port, would be
 * turned away by the system instead of a hostile one by a cap.
 */
function warnIfFewDescriptors(config: Config, log: Logger): void {
  const files = openFileLimit();
  const needed = hardSmtpConnectionCap(config.smtp.limits) + hardHttpConnectionCap(config.http) + DESCRIPTORS_BESIDES_CONNECTIONS;
  if (files === null || files >= needed) return;
  log.warn({ event: 'fd_limit', openFileLimit: files, needed },
    `The open-file limit (${files}) is below what --smtp-max-connections ${config.smtp.limits.maxConnections} and --http-max-connections ${config.http.maxConnections} may need (${needed}); raise it (ulimit -n, LimitNOFILE, --ulimit nofile) or lower those options.`);
}

function countEvent(metrics: Metrics, event: StoreEvent): void {
  if (event.type === 'evicted') metrics.evicted.inc();
  else if (event.type === 'expired') metrics.expired.inc();
}
