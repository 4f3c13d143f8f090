import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { startEphemail } from '../../src/app.js';
import { createLogger } from '../../src/runtime/log.js';
import { createRedisStore } from '../../src/store/redis/redis-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { createManualClock } from '../support/manual-clock.js';

/** A port nothing listens on: bound for a moment, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });
}

// No redis-server needed: these are about a Redis that is not there.
describe('starting on a Redis that cannot be reached', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('fails the store at once with a line naming the Redis, without its password', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await closedPort()}/0`;
    // At once means on the refusal itself: with timers frozen, a failure that waited
    // for the connect timeout or a reconnect's backoff would never come.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const failure = createRedisStore({ url, ttlMs: 60_000, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 5, clock: createManualClock() });
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toThrow(/^cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 \(/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('fails startEphemail, leaving nothing running', async () => {
    const config = parseConfig(['--smtp-port', '0', '--http-port', '0', '--store', `redis://127.0.0.1:${await closedPort()}`], {});
    await expect(startEphemail({ config, log: createLogger('silent') })).rejects.toThrow(/cannot connect to Redis/);
  });
});
