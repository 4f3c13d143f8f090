import type { Server } from 'node:net';
import type { ServerInternals } from './internals.js';

/**
 * The net.Server smtp-server listens with, its `server` field: declared in
 * its types but not documented. Ephemail sets Node's socket backstop on it
 * (maxConnections, 'drop'), which smtp-server has no option for, and reads
 * the bound port from it.
 */
export function listenerOf(server: ServerInternals): Server {
  return server.server;
}
