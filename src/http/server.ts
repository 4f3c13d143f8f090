import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { HttpConfig } from '../config.js';

/** The HTTP listener around the hono app. */
export interface HttpServer {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export function createHttpServer(app: Hono, config: HttpConfig): HttpServer {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
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
