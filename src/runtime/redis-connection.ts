import { Redis, type RedisOptions } from 'ioredis';

// Commands must fail fast while Redis is away, so callers can answer at once
// instead of holding clients: no offline queue, no retrying a command after a
// reconnect (a retried write could run twice), bounded waits.
const CONNECT_TIMEOUT_MS = 2_000;
// Reconnect quickly at first and then every second, so an instance is back within about a second of Redis.
const MAX_RECONNECT_DELAY_MS = 1_000;

const OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  autoResubscribe: true,
  connectTimeout: CONNECT_TIMEOUT_MS,
  retryStrategy: (times) => Math.min(50 * 2 ** times, MAX_RECONNECT_DELAY_MS),
};

/**
 * A connection to the Redis at `url`, not yet connected, shown as `name` in
 * CLIENT LIST; a command not answered within `commandTimeoutMs` fails.
 * Shared by the store and the shared limits, which each open their own.
 */
export function openRedisConnection(url: string, name: string, commandTimeoutMs: number): Redis {
  return new Redis(url, { ...OPTIONS, connectionName: name, commandTimeout: commandTimeoutMs });
}

/** Closes a connection, politely when it is up and at once when it is not. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Lost while quitting: disconnecting below is all that is left to do.
    }
  }
  redis.disconnect();
}
