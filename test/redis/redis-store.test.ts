import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import type { StoreFactory } from '../store/contract-store.js';
import { describeStoreShareContract } from '../store/store-contract-shares.js';
import { describeStoreContract } from '../store/store-contract.js';

describe.skipIf(skipRedisTests())('Redis store', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => server?.stop());

  // A prefix per store keeps every test's store empty and alone on the shared server.
  const redisStore: StoreFactory = async (settings) => {
    const store = await createRedisStore({ ...settings, url: server.url, keyPrefix: `test-${randomUUID()}:`, onListenerError: () => {} });
    return { store, settle: () => store.flush() };
  };
  describeStoreContract('redis', redisStore);
  describeStoreShareContract('redis', redisStore);
});
