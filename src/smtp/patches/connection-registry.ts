import type { ConnectionInternals, ServerInternals } from './internals.js';

/**
 * Calls `watch` for every new connection, before smtp-server greets it or
 * checks maxClients. smtp-server has no per-connection hook that early, but
 * it adds each connection to its private `server.connections` set first and
 * only then starts it, so this wraps that set's `add`. Connections that
 * smtp-server refuses on its own (maxClients) are watched too.
 */
export function watchConnections(server: ServerInternals, watch: (connection: ConnectionInternals) => void): void {
  const { connections } = server;
  const add = connections.add.bind(connections);
  connections.add = (connection) => {
    watch(connection);
    return add(connection);
  };
}
