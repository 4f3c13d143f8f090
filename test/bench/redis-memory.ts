/**
 * Measures what one message costs in Redis: stores 1,000 messages of 10 KB
 * (one recipient each) through the Redis store and
 * compares INFO memory before and after, MEMORY USAGE of each key kind, and
 * the store's own byte accounting. Then the same for 1,000 messages with
 * three recipients each, to show the raw bytes are kept once.
 *
 *   npx tsx test/bench/redis-memory.ts [size in KB, default 10]
 *
 * The figures are quoted in docs/deployment.md.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createSystemClock } from '../../src/runtime/clock.js';
import { redisKeys } from '../../src/store/redis/keys.js';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import type { NewMessage } from '../../src/store/message.js';
import { startRedisServer } from '../support/redis-server.js';

const COUNT = 1_000;
const SIZE = Number(process.argv[2] ?? 10) * 1024;

function message(index: number, recipients: number): NewMessage {
  const inboxes = Array.from({ length: recipients }, (_, r) => `user${index % 100}-${r}@ephemail.test`);
  return {
    envelope: { mailFrom: 'noreply@shop.example.com', rcptTo: inboxes },
    sender: '192.0.2.1',
    raw: Buffer.alloc(SIZE, 'a'),
    recipients: inboxes.map((inbox) => ({ inbox, tag: null })),
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function measure(url: string, redis: Redis, recipients: number): Promise<void> {
  const prefix = `bench-${randomUUID()}:`;
  const store = await createRedisStore({ url, keyPrefix: prefix, ttlMs: 3_600_000, memoryLimit: 1024 ** 3, memoryShare: null, inboxLimit: 10_000, clock: createSystemClock() });
  const before = await usedMemory(redis);
  for (let i = 0; i < COUNT; i++) await store.add(message(i, recipients));
  const after = await usedMemory(redis);
  const stats = await store.stats();
  const keys = redisKeys(prefix);
  const sample = async (pattern: string) => {
    const [first] = await redis.keys(pattern);
    return first === undefined ? 0 : Number(await redis.memory('USAGE', first, 'SAMPLES', '0'));
  };
  const shared = await Promise.all([keys.index, keys.refs, keys.arrival, keys.expiry].map(async (key) => Number(await redis.memory('USAGE', key, 'SAMPLES', '0'))));
  const row = (label: string, bytes: number) => console.log(`  ${label.padEnd(44)} ${Math.round(bytes).toLocaleString('en').padStart(9)} bytes`);
  console.log(`${COUNT} messages of ${SIZE / 1024} KB, ${recipients} recipient(s) each (${stats.messages} inbox copies):`);
  row('INFO used_memory growth per message', (after - before) / COUNT);
  row('store accounting (stats.bytes) per message', stats.bytes / COUNT);
  row('MEMORY USAGE raw:{blob}', await sample(`${prefix}raw:*`));
  row('MEMORY USAGE msg:{id} (one inbox copy)', await sample(`${prefix}msg:*`));
  row('index + refs + arrival + expiry, per copy', shared.reduce((a, b) => a + b, 0) / stats.messages);
  await store.close();
}

const server = await startRedisServer();
const redis = new Redis(server.url);
try {
  await measure(server.url, redis, 1);
  await measure(server.url, redis, 3);
} finally {
  redis.disconnect();
  await server.stop();
}
