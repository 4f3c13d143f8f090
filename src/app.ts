import { hostname } from 'node:os';
import { createSystemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { createHttpServer } from './http/server.js';
import { createHub, type Hub } from './hub/hub.js';
import { createIntake } from './intake.js';
import type { Logger } from './log.js';
import { createParsePool } from './mail/parse-pool.js';
import { createMessageReader } from './mail/reader.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSmtpIntake } from './smtp/server.js';
import { selfSignedCertificate } from './smtp/tls.js';
import { createMemoryStore } from './store/memory-store.js';
import type { Store, StoreEvent } from './store/store.js';

/** A running Ephemail: both listeners, and the parts tests and benchmarks look into. */
export interface Ephemail {
  smtpPort: number;
  httpPort: number;
  store: Store;
  hub: Hub;
  /** Stops SMTP (letting messages in DATA finish for up to `drainMs`), then HTTP, then the store. */
  close(drainMs?: number): Promise<void>;
}

/** What to start with; the clock is injectable so tests can move time. */
export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
}

const DEFAULT_DRAIN_MS = 10_000;
// Parsed messages kept for repeated reads (a reader opens details, HTML and images in a row).
const PARSED_CACHE_BYTES = 32 * 1024 * 1024;
// A message that takes longer than this to parse is kept raw and flagged; its worker is replaced.
const PARSE_TIMEOUT_MS = 10_000;
// Enough for a 10 MB message with large decoded attachments; a worker that needs more is replaced.
const PARSE_WORKER_HEAP_MB = 512;

/**
 * Wires every part together. Data flows one way: SMTP intake -> store ->
 * hub -> HTTP and WebSocket. This is the only file that knows all of them.
 */
export async function startEphemail({ config, log, clock = createSystemClock() }: StartOptions): Promise<Ephemail> {
  const onListenerError = (error: unknown) => log.error({ err: error }, 'an event listener failed');
  const store = createMemoryStore({ ...config.store, clock, onListenerError });
  const hub = createHub({ onListenerError });
  const metrics = createMetrics(() => store.stats());
  store.subscribe((event) => {
    countEvent(metrics, event);
    hub.publish(event);
  });

  const parsePool = createParsePool({
    workers: config.parse.workers,
    timeoutMs: PARSE_TIMEOUT_MS,
    workerHeapMb: PARSE_WORKER_HEAP_MB,
    onWorkerFailure: (error) => log.warn({ err: error }, 'a parse worker failed; it was replaced and the message kept raw'),
  });
  const smtp = createSmtpIntake({
    config: config.smtp,
    domains: config.domains,
    tls: config.smtp.tls ?? await selfSignedCertificate(hostname()),
    deliver: createIntake({ store, digest: (raw) => parsePool.digest(raw) }),
    log: log.child({ part: 'smtp' }),
    metrics,
  });
  const reader = createMessageReader({ parse: (raw) => parsePool.parse(raw), cacheBytes: PARSED_CACHE_BYTES });
  const httpApp = createHttpApp({
    store, hub, reader, clock, metrics,
    domains: config.domains,
    ttlMs: config.store.ttlMs,
    waitMaxMs: config.http.waitMaxMs,
    log: log.child({ part: 'http' }),
  });
  const http = createHttpServer(httpApp, config.http);

  const smtpPort = await smtp.listen();
  const httpPort = await http.listen().catch(async (error: unknown) => {
    await smtp.close(0);
    await parsePool.close();
    throw error;
  });

  return {
    smtpPort,
    httpPort,
    store,
    hub,
    async close(drainMs = DEFAULT_DRAIN_MS) {
      await smtp.close(drainMs);
      await http.close();
      await parsePool.close();
      await store.close();
    },
  };
}

function countEvent(metrics: Metrics, event: StoreEvent): void {
  if (event.type === 'evicted') metrics.evicted.inc();
  else if (event.type === 'expired') metrics.expired.inc();
}
