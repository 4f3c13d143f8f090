import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { HttpConfig } from '../config/config.js';
import type { Metrics } from '../runtime/metrics.js';
import { createConnectionGuard } from './limits/connection-guard.js';
import { hardConnectionCap } from './limits/connection-limits.js';
import type { RefusalLog } from './limits/refusal-log.js';

// A client has this long to send its headers, and then its whole request (bodies here are at most 64 KB),
// instead of Node's 60 s and 300 s: a slow sender holds a socket and a parser the whole time.
// Neither bounds the response, so a long poll may still wait for as long as --wait-max allows.
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
// Node looks for connections past those timeouts this often; its 30 s default let a silent socket live 45 s.
const TIMEOUT_CHECK_MS = 1_000;

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
 * connections: caps on open connections, a reserve for /healthz and a write
 * timeout (src/http/limits/connection-guard.ts), and header and request timeouts.
 */
export function createHttpServer({ app, config, refusals, metrics }: HttpServerOptions): HttpServer {
  const guard = createConnectionGuard({ config, refusals, metrics });
  const handle = getRequestListener(app.fetch);

  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  }, (request, response) => {
    if (guard.admitRequest(request, response)) void handle(request, response);
  });
  // Last resort for descriptors: past this Node drops sockets before any HTTP is spoken.
  server.maxConnections = hardConnectionCap(config);
  server.on('drop', (socket?: { remoteAddress?: string }) => {
    refusals.refused('over_capacity', socket?.remoteAddress, `Dropped a connection without an answer: ${hardConnectionCap(config)} sockets are open, twice --http-max-connections and its /healthz reserve.`);
  });
  admitBeforeParsing(server, guard.admitConnection);

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
