import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../store.js';

// Requests must fail fast while Redis is away, so SMTP can answer 451 and the
// API 503 at once instead of holding clients: no offline queue, no retrying a
// command after a reconnect (a retried add could run twice), bounded waits.
const CONNECT_TIMEOUT_MS = 2_000;
// Below the Docker health check's 3 s, so /healthz answers 503 rather than timing out.
const COMMAND_TIMEOUT_MS = 2_500;
// Reconnect quickly at first and then every second, so an instance is back within about a second of Redis.
const MAX_RECONNECT_DELAY_MS = 1_000;

const OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  autoResubscribe: true,
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  retryStrategy: (times) => Math.min(50 * 2 ** times, MAX_RECONNECT_DELAY_MS),
};

/** A connection to the Redis at `url`, not yet connected; `role` names it in CLIENT LIST. */
export function openConnection(url: string, role: 'commands' | 'events'): Redis {
  return new Redis(url, { ...OPTIONS, connectionName: `ephemail-${role}` });
}

/**
 * Connects, or fails with a StoreUnavailableError naming the Redis (without
 * its password), so a typo in --store stops the start-up with one clear line.
 */
export async function connect(redis: Redis, url: string): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new StoreUnavailableError(`cannot connect to Redis at ${redactUrl(url)} (${reasonOf(error)})`);
  }
}

/** The error every store method rejects with while Redis cannot be reached. */
export function unavailable(closed: boolean): StoreUnavailableError {
  return new StoreUnavailableError(closed
    ? 'The store is shutting down.'
    : 'The message store (Redis) cannot be reached right now.');
}

/** Closes a connection, politely when it is up and at once when it is not. */
export async function closeConnection(redis: Redis): Promise<void> {
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

/** `url` with any password replaced, for messages and logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unreadable URL)';
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
