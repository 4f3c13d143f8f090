import { LRUCache } from 'lru-cache';
import type { Clock } from '../../runtime/clock.js';
import { clientKey } from '../../runtime/client-key.js';
import type { Logger } from '../../runtime/log.js';
import type { HttpRefusalReason, Metrics } from '../../runtime/metrics.js';
import { UNKNOWN_CLIENT } from './client-ip.js';

// A flood of refused sockets must not become a flood of log lines: one per client and reason this often.
const LOG_INTERVAL_MS = 60_000;
// Forgetting a client only lets its next line come early, so memory stays bounded whatever the flood.
const MAX_TRACKED = 10_000;

/** Every HTTP connection or event socket a limit refused or cut: counted each time, logged now and then. */
export interface RefusalLog {
  /** Counts it under `reason`, and logs `detail` unless this client's last line for `reason` is recent. */
  refused(reason: HttpRefusalReason, remote: string | undefined, detail: string): void;
}

interface LastLine {
  at: number;
  /** Refusals since that line that were counted but not logged. */
  unlogged: number;
}

/** What the refusal log writes to. */
export interface RefusalLogOptions {
  metrics: Pick<Metrics, 'httpConnectionsRefused'>;
  log: Logger;
  clock: Clock;
}

/**
 * Counts every refusal in ephemail_http_connections_refused_total{reason}
 * and logs at most one line per client (an IPv4 address or IPv6 /64) and
 * reason per minute; the line says how many went unlogged before it.
 */
export function createRefusalLog({ metrics, log, clock }: RefusalLogOptions): RefusalLog {
  const lastLines = new LRUCache<string, LastLine>({ max: MAX_TRACKED });
  return {
    refused(reason, remote, detail) {
      metrics.httpConnectionsRefused.inc({ reason });
      const key = `${reason} ${clientKey(remote ?? UNKNOWN_CLIENT)}`;
      const now = clock.now();
      const last = lastLines.get(key);
      if (last !== undefined && now - last.at < LOG_INTERVAL_MS) {
        last.unlogged++;
        return;
      }
      lastLines.set(key, { at: now, unlogged: 0 });
      log.info({ event: 'refused', reason, remote, unlogged: last?.unlogged ?? 0 }, detail);
    },
  };
}
