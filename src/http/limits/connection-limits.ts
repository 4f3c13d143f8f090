import type { HttpConfig } from '../../config/config.js';
import { clientKey } from '../../runtime/client-key.js';
import { createClientSlots } from '../../runtime/client-slots.js';
import { ApiProblem } from '../problem.js';
import { UNKNOWN_CLIENT } from './client-ip.js';

/**
 * Connections past --http-max-connections that may still ask /healthz, so
 * that an orchestrator sees a full server as busy rather than dead. A
 * handful of probes at a time is all it takes.
 */
export const HEALTH_RESERVE = 10;

// A connection frees its slot when it closes: usually within the 5 s keep-alive, at worst a long poll later.
const RETRY_AFTER_SECONDS = 10;

/** The options the connection caps are made from. */
export type ConnectionLimitSettings = Pick<HttpConfig, 'maxConnections' | 'maxConnectionsPerClient' | 'trustedProxies'>;

/** What becomes of a new connection, decided before a byte of it is read. */
export type ConnectionAdmission =
  | {
    ok: true;
    /** One of the /healthz reserve: any other request is refused with `healthOnlyRefusal`. */
    inHealthReserve: boolean;
    /** Frees the slot; call it when the socket closes. */
    release: () => void;
  }
  | { ok: false; reason: 'too_many_connections_from_client' | 'too_many_connections'; problem: ApiProblem };

/** The caps on open HTTP connections; one set per server. */
export interface ConnectionLimits {
  /** Takes a slot for a connection from `remoteAddress` (the socket's peer), or says why not. */
  admit(remoteAddress: string | undefined): ConnectionAdmission;
  /** The answer to anything but /healthz on a connection of the reserve. */
  readonly healthOnlyRefusal: ApiProblem;
}

/**
 * Every connection holds a descriptor from its first byte, and a silent one
 * spends no rate limit, so connections are counted as they are accepted, and
 * an upgraded WebSocket keeps its slot until it closes. Per client means per
 * socket address (an IPv4 address or IPv6 /64). Behind trusted proxies every
 * connection comes from one of them, so a per-client cap would be one cap
 * shared by everyone: only the total applies there, and the proxy is the
 * place to limit connections per client.
 */
export function createConnectionLimits(settings: ConnectionLimitSettings): ConnectionLimits {
  const perClient = settings.trustedProxies > 0 ? Infinity : settings.maxConnectionsPerClient;
  const slots = createClientSlots({ perClient, total: settings.maxConnections + HEALTH_RESERVE });
  const retry = { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' };
  const crowded = new ApiProblem(429, 'Too Many Requests', `Your address has ${settings.maxConnectionsPerClient} connections open to this server, the most it allows one client; close some, then try again in ${RETRY_AFTER_SECONDS} seconds.`, {
    code: 'too_many_connections_from_client', headers: retry,
  });
  const full = new ApiProblem(503, 'Service Unavailable', `This server has ${settings.maxConnections} connections open, the most it takes; please try again in ${RETRY_AFTER_SECONDS} seconds.`, {
    code: 'server_busy', headers: retry,
  });
  const healthOnlyRefusal = new ApiProblem(503, 'Service Unavailable', `This server has ${settings.maxConnections} connections open, the most it takes, and answers only /healthz until some close; please try again in ${RETRY_AFTER_SECONDS} seconds.`, {
    code: 'server_busy', headers: retry,
  });

  return {
    admit(remoteAddress) {
      const grant = slots.take(clientKey(remoteAddress ?? UNKNOWN_CLIENT));
      if (grant.ok) return { ok: true, inHealthReserve: slots.held() > settings.maxConnections, release: grant.release };
      return grant.full === 'client'
        ? { ok: false, reason: 'too_many_connections_from_client', problem: crowded }
        : { ok: false, reason: 'too_many_connections', problem: full };
    },
    healthOnlyRefusal,
  };
}

/**
 * Sockets beyond this many are dropped by Node before this server sees them.
 * A refused connection keeps its descriptor for a moment while its answer
 * goes out; twice the caps leaves room for those, as SMTP's backstop does.
 */
export function hardConnectionCap(settings: Pick<HttpConfig, 'maxConnections'>): number {
  return 2 * (settings.maxConnections + HEALTH_RESERVE);
}
