import { Redis } from 'ioredis';
import { startRedisServer } from '../support/redis-server.js';

/** Where the servers under test keep mail, as the run's output names it. */
export interface StoreTarget {
  /** The --store value the servers get: memory or a redis:// URL. */
  store: string;
  /** How the output names it: never with a password. */
  name: string;
  /** Empties the store before a scenario, so no scenario sees another's mail. */
  empty(): Promise<void>;
  /** Stops what the run started (a temporary redis-server). */
  stop(): Promise<void>;
}

/** A redis:// URL without its user name and password, for output that is pasted into documents. */
function withoutCredentials(store: string): string {
  if (store === 'memory') return store;
  const url = new URL(store);
  url.username = '';
  url.password = '';
  return url.toString();
}

async function withRedis<T>(url: string, body: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await body(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * The CPU time redis-server has used (user and system, from INFO cpu), in
 * microseconds: on a machine that runs both, what Redis spends per message is
 * taken from the instances' share of the cores.
 */
export function redisCpuUs(url: string): Promise<number> {
  return withRedis(url, async (redis) => {
    const info = await redis.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
    return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
  });
}

function redisTarget(url: string, what: string, stop: () => Promise<void>): StoreTarget {
  return {
    store: url,
    name: `${withoutCredentials(url)} (${what}; its database is flushed before each scenario)`,
    empty: () => withRedis(url, (redis) => redis.flushdb()).then(() => undefined),
    stop,
  };
}

/**
 * The store of a run: memory, the Redis `--store` names (whose database the
 * run flushes before each scenario: never point it at a Redis holding
 * mail you keep), or with `--temp-redis plain|aof` a redis-server started for
 * the run on a free port in a temporary directory, without persistence or
 * with an append-only file fsynced every second, as docs/deployment.md advises.
 */
export async function openStoreTarget(store: string, tempRedis: string | undefined): Promise<StoreTarget> {
  if (tempRedis === undefined) {
    if (store === 'memory') return { store, name: 'memory', empty: async () => {}, stop: async () => {} };
    return redisTarget(store, 'given with --store', async () => {});
  }
  if (store !== 'memory') throw new Error('--temp-redis starts a redis-server of its own; leave --store out');
  if (tempRedis !== 'plain' && tempRedis !== 'aof') throw new Error(`--temp-redis takes plain (no persistence) or aof (append-only file, fsync every second), not ${tempRedis}`);
  const server = await startRedisServer(tempRedis === 'aof' ? { appendfsync: 'everysec' } : {});
  const what = tempRedis === 'aof' ? 'a redis-server started for this run, append-only file fsynced every second' : 'a redis-server started for this run, no persistence';
  return redisTarget(server.url, what, () => server.stop());
}
