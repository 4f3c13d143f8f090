import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { HttpConfig } from '../config/config.js';
import { formatDuration } from '../config/values.js';
import type { Metrics } from '../runtime/metrics.js';
import { createConnectionLimits, hardConnectionCap } from './limits/connection-limits.js';
import type { RefusalLog } from './limits/refusal-log.js';
import { PROBLEM_CONTENT_TYPE, problemDocument, type ApiProblem } from './problem.js';
import { answerAndClose } from './raw-answer.js';
import { BASE_RESPONSE_HEADERS } from './security-headers.js';

// A client has this long to send its headers, and then its whole request (bodies here are at most 64 KB),
// instead of Node's 60 s and 300 s: a slow sender holds a socket and a parser the whole time.
// Neither bounds the response, so a long poll may still wait for as long as --wait-max allows.
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
// Node looks for connections past those timeouts this often; its 30 s default let a silent socket live 45 s.
const TIMEOUT_CHECK_MS = 1_000;
// A connection of the /healthz reserve is closed after this long, answered or not: a probe needs milliseconds.
const HEALTH_ONLY_LIFETIME_MS = 5_000;

/** What the HTTP listener is built from. */
export interface HttpServerOptions {
  app: Hono;
  config: HttpConfig;
  refusals: RefusalLog;
  metrics: Pick<Metrics, 'httpConnectionsOpen'>;
}

/** The HTTP listener around the hono app. */
export interface HttpServer {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The hono app on a Node HTTP server, with what bounds one client's
 * connections: caps on open connections (src/http/limits/connection-limits.ts),
 * a reserve for /healthz, a write timeout, and header and request timeouts.
 */
export function createHttpServer({ app, config, refusals, metrics }: HttpServerOptions): HttpServer {
  const limits = createConnectionLimits(config);
  const handle = getRequestListener(app.fetch);
  const healthOnly = new WeakSet<Socket>();

  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  }, (request, response) => {
    cutWhenNotRead(response, request.socket);
    if (!healthOnly.has(request.socket)) return void handle(request, response);
    response.setHeader('connection', 'close');
    if (pathOf(request) === '/healthz') return void handle(request, response);
    refusals.refused('healthz_only', request.socket.remoteAddress, limits.healthOnly.detail);
    answerWithProblem(response, limits.healthOnly);
  });
  // Last resort for descriptors: past this Node drops sockets before any HTTP is spoken.
  server.maxConnections = hardConnectionCap(config);
  server.on('drop', (socket?: { remoteAddress?: string }) => {
    refusals.refused('over_capacity', socket?.remoteAddress, `Dropped a connection without an answer: ${hardConnectionCap(config)} sockets are open, twice --http-max-connections and its /healthz reserve.`);
  });
  admitBeforeParsing(server, admit);

  function admit(socket: Socket): boolean {
    const admission = limits.admit(socket.remoteAddress);
    if (!admission.ok) {
      const { reason, problem } = admission;
      refusals.refused(reason, socket.remoteAddress, problem.detail);
      answerAndClose(socket, problem.status, { ...problem.headers, 'Content-Type': PROBLEM_CONTENT_TYPE }, problemDocument(problem));
      return false;
    }
    metrics.httpConnectionsOpen.inc();
    let cancelLifetime = () => {};
    if (admission.healthOnly) {
      healthOnly.add(socket);
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
    server,
    listen: () => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    }),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      // Long polls and keep-alive sockets would otherwise hold the close open.
      server.closeAllConnections();
    }),
  };
}

/**
 * Puts `admit` in front of Node's HTTP parser, which http.Server attaches to
 * each socket in its own 'connection' listener: a refused socket never gets
 * a parser, and costs no more than its descriptor until it is closed.
 */
function admitBeforeParsing(server: Server, admit: (socket: Socket) => boolean): void {
  const parsers = server.listeners('connection') as Array<(this: Server, socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (admit(socket)) for (const parse of parsers) parse.call(server, socket);
  });
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

function pathOf(request: IncomingMessage): string {
  return (request.url ?? '').split('?', 1)[0] ?? '';
}
