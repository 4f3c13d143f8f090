import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { HttpConfig } from '../config/config.js';

// A client has this long to send its headers, and then its whole request (bodies here are at most 64 KB),
// instead of Node's 60 s and 300 s: a slow sender holds a socket and a parser the whole time.
// Neither bounds the response, so a long poll may still wait for as long as --wait-max allows.
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** The HTTP listener around the hono app. */
export interface HttpServer {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(app: Hono, config: HttpConfig): HttpServer {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
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
