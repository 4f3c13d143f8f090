import { Counter, Gauge, Registry } from 'prom-client';

/** Why intake refused a message or a recipient; the label of the rejection counter. */
export type RejectionReason =
  | 'domain_not_accepted' | 'invalid_recipient' | 'too_many_recipients' | 'too_large' | 'line_too_long' | 'over_share' | 'store_unavailable' | 'shutting_down'
  // The failure simulator's refusals (src/smtp/simulator.ts), apart so they never look like real ones.
  | 'simulated';

/** Why an SMTP connection was refused or cut off by a limit (src/smtp/limits.ts); the label of the refused-connections counter. */
export type ConnectionRefusalReason =
  | 'too_many_connections' | 'too_many_connections_from_address' | 'over_capacity'
  | 'idle_timeout' | 'session_timeout' | 'data_timeout' | 'command_too_long' | 'too_many_bad_commands';

/**
 * Why an HTTP connection or live event socket was refused or cut by a limit
 * (src/http/limits/connection-guard.ts and limits.ts); the label of the
 * refused-HTTP-connections counter. As on SMTP, `too_many_connections` is the
 * server's total (answered 503 `server_busy` here) and `…_from_client` one
 * client's cap (answered 429 with the problem code of the same name).
 */
export type HttpRefusalReason =
  | 'too_many_connections_from_client' | 'too_many_connections' | 'healthz_only' | 'over_capacity'
  | 'write_timeout' | 'too_many_event_sockets';

/**
 * How a webhook ended (src/webhooks/): posted, given up on, pushed out of a
 * full queue, or its message gone before its turn; `retried` counts each
 * attempt that is to be tried again. The label of the webhook counter.
 */
export type WebhookOutcome = 'delivered' | 'failed' | 'dropped' | 'gone' | 'retried';

/** The Prometheus metrics of one server, in a registry of its own (no process-wide state). */
export interface Metrics {
  registry: Registry;
  received: Counter;
  rejected: Counter<'reason'>;
  evicted: Counter;
  expired: Counter;
  smtpConnections: Counter;
  smtpConnectionsOpen: Gauge;
  smtpConnectionsRefused: Counter<'reason'>;
  /** Worker jobs by kind (digest, parse, html in the parse workers; report in the report threads) and outcome (run, cancelled, refused). */
  workerJobs: Counter<'kind' | 'outcome'>;
  /** Digests listings, live feeds and waits needed, by where they came from (src/mail/read/summaries.ts, DigestSource). */
  digests: Counter<'source'>;
  httpConnectionsOpen: Gauge;
  httpConnectionsRefused: Counter<'reason'>;
  /** Webhooks by outcome (WebhookOutcome). */
  webhookDeliveries: Counter<'outcome'>;
}

/** What the data directory (--data-dir) tells operations: what a crash now would lose, and what the start took back. */
export interface DataDirStatus {
  restored: number;
  unwritten(): number;
}

/** Adds the gauges of the data directory to `metrics`. */
export function addDataDirGauges(metrics: Metrics, dataDir: DataDirStatus): void {
  const registers = [metrics.registry];
  const unwritten = new Gauge({
    name: 'ephemail_data_dir_unwritten_changes', registers,
    help: 'Changes (inbox copies and deliveries stored or removed in memory) not yet synced to the data directory, a failed write included: what a crash now would lose (written every 250 ms).',
    collect() {
      this.set(dataDir.unwritten());
    },
  });
  const restored = new Gauge({ name: 'ephemail_data_dir_restored_messages', help: 'Messages taken back from the data directory at start-up.', registers });
  restored.set(dataDir.restored);
  unwritten.set(dataDir.unwritten());
}

/** Creates the metrics; `readStore` is asked for the stored totals at each scrape. */
export function createMetrics(readStore: () => Promise<{ messages: number; bytes: number }>): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const storeGauge = (name: string, help: string, pick: (stats: { messages: number; bytes: number }) => number) =>
    new Gauge({
      name, help, registers,
      async collect() {
        // While the store is unreachable the gauge keeps its last value, so /metrics still answers.
        try {
          this.set(pick(await readStore()));
        } catch {
          // /healthz reports the outage.
        }
      },
    });
  storeGauge('ephemail_stored_messages', 'Messages held now, one per inbox copy.', (stats) => stats.messages);
  storeGauge('ephemail_stored_bytes', 'Bytes of mail held now.', (stats) => stats.bytes);
  return {
    registry,
    received: new Counter({ name: 'ephemail_messages_received_total', help: 'Messages accepted over SMTP (one per DATA).', registers }),
    rejected: new Counter({ name: 'ephemail_messages_rejected_total', help: 'Messages or recipients refused, by reason.', labelNames: ['reason'], registers }),
    evicted: new Counter({ name: 'ephemail_messages_evicted_total', help: 'Messages evicted to respect the memory or inbox limit.', registers }),
    expired: new Counter({ name: 'ephemail_messages_expired_total', help: 'Messages that reached the end of their lifetime.', registers }),
    smtpConnections: new Counter({ name: 'ephemail_smtp_connections_total', help: 'SMTP connections accepted.', registers }),
    smtpConnectionsOpen: new Gauge({ name: 'ephemail_smtp_connections_open', help: 'SMTP connections open now.', registers }),
    smtpConnectionsRefused: new Counter({ name: 'ephemail_smtp_connections_refused_total', help: 'SMTP connections refused or cut off by a limit, by reason.', labelNames: ['reason'], registers }),
    workerJobs: new Counter({
      name: 'ephemail_worker_jobs_total', labelNames: ['kind', 'outcome'], registers,
      help: 'Worker jobs by kind (digest, parse, html, report), and whether a thread ran them, they were dropped from the queue because nobody waited any more, or refused with the queue full.',
    }),
    digests: new Counter({
      name: 'ephemail_digests_total', labelNames: ['source'], registers,
      help: 'Message digests listings, live feeds and waits needed, by source: parsed (read by a parse worker here), full_parse (taken from a full parse made here for a reader), shared (kept in Redis by whichever instance read it first).',
    }),
    httpConnectionsOpen: new Gauge({ name: 'ephemail_http_connections_open', help: 'HTTP connections open now, WebSockets included.', registers }),
    httpConnectionsRefused: new Counter({ name: 'ephemail_http_connections_refused_total', help: 'HTTP connections and event sockets refused or cut off by a limit, by reason.', labelNames: ['reason'], registers }),
    webhookDeliveries: new Counter({
      name: 'ephemail_webhook_deliveries_total', labelNames: ['outcome'], registers,
      help: 'Webhooks (--webhook-url) by outcome: delivered, failed after their last attempt, dropped from a full queue, gone (the message was removed before its turn); retried counts attempts to be tried again.',
    }),
  };
}
