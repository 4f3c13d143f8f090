import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpConfig } from '../../config/config.js';
import { formatDuration } from '../../config/values.js';
import type { Metrics } from '../../runtime/metrics.js';
import { PROBLEM_CONTENT_TYPE, problemDocument, type ApiProblem } from '../problem.js';
import { answerAndClose } from '../raw-answer.js';
import { pathOf } from '../request-path.js';
import { BASE_RESPONSE_HEADERS } from '../security-headers.js';
import { createConnectionLimits, type ConnectionLimitSettings } from './connection-limits.js';
import type { RefusalLog } from './refusal-log.js';

// A connection of the /healthz reserve is closed after this long, answered or not: a probe needs milliseconds.
const HEALTH_ONLY_LIFETIME_MS = 5_000;

/** What the connection guard is built from. */
export interface ConnectionGuardOptions {
  config: ConnectionLimitSettings & Pick<HttpConfig, 'writeTimeoutMs'>;
  refusals: RefusalLog;
  metrics: Pick<Metrics, 'httpConnectionsOpen'>;
}

/** The connection caps and the write timeout, applied to one HTTP server's sockets and requests. */
export interface ConnectionGuard {
  /**
   * Takes a slot for a new socket, before Node's HTTP parser sees it, and
   * gives it back when the socket closes; or answers the socket with the
   * refusal, closes it and returns false.
   */
  admitConnection(socket: Socket): boolean;
  /**
   * Arms the write timeout of a response, and answers a request its
   * connection may not make (anything but /healthz on one of the reserve).
   * True when the app should handle the request.
   */
  admitRequest(request: IncomingMessage, response: ServerResponse): boolean;
}

/** Counts connections with src/http/limits/connection-limits.ts; this is what those counts do to sockets. */
export function createConnectionGuard({ config, refusals, metrics }: ConnectionGuardOptions): ConnectionGuard {
  const limits = createConnectionLimits(config);
  const healthOnlySockets = new WeakSet<Socket>();

  function admitConnection(socket: Socket): boolean {
    const admission = limits.admit(socket.remoteAddress);
    if (!admission.ok) {
      const { reason, problem } = admission;
      refusals.refused(reason, socket.remoteAddress, problem.detail);
      answerAndClose(socket, problem.status, { ...problem.headers, 'Content-Type': PROBLEM_CONTENT_TYPE }, problemDocument(problem));
      return false;
    }
    metrics.httpConnectionsOpen.inc();
    let cancelLifetime = () => {};
    if (admission.inHealthReserve) {
      healthOnlySockets.add(socket);
      cancelLifetime = limitLifetime(socket);
    }
    socket.once('close', () => {
      admission.release();
      cancelLifetime();
      metrics.httpConnectionsOpen.dec();
    });
    return true;
  }

  /**
   * Node's socket timeout fires when nothing moved either way for that long;
   * a write that makes progress counts as movement. Bytes still unsent then
   * belong to a client that does not read, and would be held for it without
   * end. A long poll still waiting has nothing unsent: its silence is its job.
   */
  function cutWhenNotRead(response: ServerResponse, socket: Socket): void {
    response.setTimeout(config.writeTimeoutMs, () => {
      if (socket.writableLength === 0) return;
      refusals.refused('write_timeout', socket.remoteAddress, `Cut a connection whose client took no bytes for ${formatDuration(config.writeTimeoutMs)} (--http-write-timeout), with ${socket.writableLength} still waiting to be sent.`);
      socket.destroy();
    });
  }

  return {
    admitConnection,
    admitRequest(request, response) {
      cutWhenNotRead(response, request.socket);
      if (!healthOnlySockets.has(request.socket)) return true;
      response.setHeader('connection', 'close');
      if (pathOf(request) === '/healthz') return true;
      refusals.refused('healthz_only', request.socket.remoteAddress, limits.healthOnlyRefusal.detail);
      answerWithProblem(response, limits.healthOnlyRefusal);
      return false;
    },
  };
}

/** Closes `socket` after HEALTH_ONLY_LIFETIME_MS; the returned function cancels that. */
function limitLifetime(socket: Socket): () => void {
  const timer = setTimeout(() => socket.destroy(), HEALTH_ONLY_LIFETIME_MS);
  timer.unref();
  return () => clearTimeout(timer);
}

function answerWithProblem(response: ServerResponse, problem: ApiProblem): void {
  const body = problemDocument(problem);
  response.writeHead(problem.status, { ...BASE_RESPONSE_HEADERS, ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
