import type { Redis } from 'ioredis';
import { openRedisConnection } from '../../runtime/redis-connection.js';
import { StoreUnavailableError } from '../store.js';

// Below the Docker health check's 3 s, so /healthz answers 503 rather than timing out.
const COMMAND_TIMEOUT_MS = 2_500;

/** A connection to the Redis at `url`, not yet connected; `role` names it in CLIENT LIST. */
export function openConnection(url: string, role: 'commands' | 'events'): Redis {
  return openRedisConnection(url, `ephemail-${role}`, COMMAND_TIMEOUT_MS);
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
