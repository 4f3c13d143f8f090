import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimits, type RedisLimits } from '../../src/shared-limits/redis-limits.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';

const PREFIX = 'scripts:';
const LEASE_MS = 30_000;
// 60 a minute: one token a second.
const BUCKET = { perMinute: 60, burst: 3 };
// Far above the 250 ms of production: a slow answer on a loaded machine must not count apart here, and the away tests count commands instead of timing them.
const COMMAND_TIMEOUT_MS = 10_000;

/** Instances' counters on one Redis and one manual clock, closed after each test. */
function useCounters() {
  let redis: RedisServer;
  let admin: Redis;
  const open: RedisLimits[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    for (const counter of open.splice(0)) await counter.close();
    await admin.flushdb();
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });
  return {
    admin: () => admin,
    redis: () => redis,
    async counter(clock: ManualClock, { registry = new Registry(), log = pino({ level: 'silent' }), url = redis.url }: { registry?: Registry; log?: Logger; url?: string } = {}): Promise<RedisLimits> {
      const counter = await createRedisLimits({ url, keyPrefix: PREFIX, clock, registry, log, leaseMs: LEASE_MS, commandTimeoutMs: COMMAND_TIMEOUT_MS });
      open.push(counter);
      return counter;
    },
  };
}

describe.skipIf(skipRedisTests())('the token bucket in Redis', () => {
  const setup = useCounters();

  it('gives a burst at once, then refuses with the seconds until the next token, and refills with the clock', async () => {
    const clock = createManualClock();
    const counter = await setup.counter(clock);
    for (let i = 0; i < 3; i++) expect(await counter.takeToken('api', '192.0.2.1', BUCKET)).toEqual({ ok: true });
    expect(await counter.takeToken('api', '192.0.2.1', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another client and another budget have buckets of their own.
    expect(await counter.takeToken('api', '192.0.2.2', BUCKET)).toEqual({ ok: true });
    expect(await counter.takeToken('site', '192.0.2.1', BUCKET)).toEqual({ ok: true });
    clock.advance(999);
    expect(await counter.takeToken('api', '192.0.2.1', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(await counter.takeToken('api', '192.0.2.1', BUCKET)).toEqual({ ok: true });
    expect(await counter.takeToken('api', '192.0.2.1', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('charges nothing for a refusal, so a client that waits as told is answered', async () => {
    const clock = createManualClock();
    const counter = await setup.counter(clock);
    const slow = { perMinute: 6, burst: 1 };
    expect(await counter.takeToken('api', '192.0.2.3', slow)).toEqual({ ok: true });
    for (let i = 0; i < 5; i++) expect(await counter.takeToken('api', '192.0.2.3', slow)).toEqual({ ok: false, retryAfterSeconds: 10 });
    clock.advance(4_000);
    expect(await counter.takeToken('api', '192.0.2.3', slow)).toEqual({ ok: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(await counter.takeToken('api', '192.0.2.3', slow)).toEqual({ ok: true });
  });

  it('neither drains nor refills twice when a clock steps back, here or on another instance', async () => {
    const ahead = createManualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
    const behind = createManualClock(Date.UTC(2026, 0, 1));
    const [a, b] = [await setup.counter(ahead), await setup.counter(behind)];
    for (let i = 0; i < 3; i++) expect(await a.takeToken('api', '192.0.2.4', BUCKET)).toEqual({ ok: true });
    // Ten seconds behind: no refill, and still one second to the next token counted from the latest time seen.
    expect(await b.takeToken('api', '192.0.2.4', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
    behind.advance(5_000);
    expect(await b.takeToken('api', '192.0.2.4', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
    ahead.advance(1_000);
    expect(await a.takeToken('api', '192.0.2.4', BUCKET)).toEqual({ ok: true });
    expect(await a.takeToken('api', '192.0.2.4', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('is one bucket for every instance, and its key lasts only until the bucket would be full', async () => {
    const clock = createManualClock();
    const [a, b] = [await setup.counter(clock), await setup.counter(clock)];
    expect(await a.takeToken('api', '192.0.2.5', BUCKET)).toEqual({ ok: true });
    expect(await b.takeToken('api', '192.0.2.5', BUCKET)).toEqual({ ok: true });
    expect(await a.takeToken('api', '192.0.2.5', BUCKET)).toEqual({ ok: true });
    expect(await b.takeToken('api', '192.0.2.5', BUCKET)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Three tokens to refill at one a second.
    const ttl = await setup.admin().pttl(`${PREFIX}limit:api:192.0.2.5`);
    expect(ttl).toBeGreaterThan(2_000);
    expect(ttl).toBeLessThanOrEqual(3_001);
  });
});

describe.skipIf(skipRedisTests())('slot leases in Redis', () => {
  const setup = useCounters();
  const key = `${PREFIX}limit:waits:192.0.2.9`;

  it('grants a client its slots on all instances together, and a release on one frees the slot for all', async () => {
    const clock = createManualClock();
    const [a, b] = [await setup.counter(clock), await setup.counter(clock)];
    const first = await a.takeSlot('waits', '192.0.2.9', 2);
    expect((await b.takeSlot('waits', '192.0.2.9', 2)).ok).toBe(true);
    expect(await b.takeSlot('waits', '192.0.2.9', 2)).toEqual({ ok: false, full: 'client' });
    expect(await a.takeSlot('waits', '192.0.2.9', 2)).toEqual({ ok: false, full: 'client' });
    if (!first.ok) throw new Error('the first slot was refused');
    first.release();
    first.release();
    await expect.poll(() => setup.admin().zcard(key)).toBe(1);
    expect((await b.takeSlot('waits', '192.0.2.9', 2)).ok).toBe(true);
  });

  it('frees the slots of an instance that stopped renewing once their lease has run out, and keeps renewed ones', async () => {
    const clock = createManualClock();
    const [survivor, crashed] = [await setup.counter(clock), await setup.counter(clock)];
    expect((await survivor.takeSlot('waits', '192.0.2.9', 2)).ok).toBe(true);
    expect((await crashed.takeSlot('waits', '192.0.2.9', 2)).ok).toBe(true);
    // Closing without releasing leaves its lease in Redis, as a crash would.
    await crashed.close();
    expect(await survivor.takeSlot('waits', '192.0.2.9', 2)).toEqual({ ok: false, full: 'client' });
    // The survivor renews its own lease a third of a lease apart; the crashed one's stays as it was.
    // Each instance dates leases in Redis's time as it measured it, so the two ends differ by a few milliseconds.
    const leaseEnds = async () => (await setup.admin().zrange(key, '0', '-1', 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
    const taken = await leaseEnds();
    for (let step = 1; step <= 3; step++) {
      clock.advance(LEASE_MS / 3);
      await expect.poll(async () => {
        const [crashedEnd, survivorEnd] = await leaseEnds();
        return taken.includes(crashedEnd!) && Math.abs(survivorEnd! - crashedEnd! - step * LEASE_MS / 3) < 1_000;
      }).toBe(true);
    }
    // The crashed one's lease has run out, with a second to spare for the measured clocks.
    clock.advance(1_000);
    expect((await survivor.takeSlot('waits', '192.0.2.9', 2)).ok).toBe(true);
    expect(await survivor.takeSlot('waits', '192.0.2.9', 2)).toEqual({ ok: false, full: 'client' });
    // The key ends with its last lease.
    expect(await setup.admin().pttl(key)).toBeLessThanOrEqual(LEASE_MS);
  });
});

/** The `ephemail_shared_limits` gauge of `registry`. */
async function sharedGauge(registry: Registry): Promise<number | undefined> {
  return (await registry.getSingleMetric('ephemail_shared_limits')!.get()).values[0]?.value;
}

/** Commands Redis ran since its stats were reset, by name (INFO commandstats). */
async function commandsRun(admin: Redis): Promise<string[]> {
  return [...(await admin.info('commandstats')).matchAll(/^cmdstat_([^:]+):/gm)].map((match) => match[1]!);
}

/** Moves the clock a probe interval at a time until the gauge says `value`. */
async function probeUntil(clock: ManualClock, registry: Registry, value: number): Promise<void> {
  await expect.poll(async () => {
    clock.advance(1_000);
    return sharedGauge(registry);
  }, { timeout: 10_000 }).toBe(value);
}

describe.skipIf(skipRedisTests())('slot leases on instances whose clocks disagree', () => {
  const setup = useCounters();

  it('keeps another instance\'s live lease from one whose clock runs 40 s ahead', async () => {
    const onTime = createManualClock(Date.now());
    const ahead = createManualClock(Date.now() + 40_000);
    const [a, b] = [await setup.counter(onTime), await setup.counter(ahead)];
    expect((await a.takeSlot('ws', '192.0.2.13', 1)).ok).toBe(true);
    expect(await b.takeSlot('ws', '192.0.2.13', 1)).toEqual({ ok: false, full: 'client' });
  });
});

describe.skipIf(skipRedisTests())('counting while Redis is away', () => {
  const setup = useCounters();

  it('sends Redis nothing, says so on the gauge, and carries held slots into Redis when it is back', async () => {
    const clock = createManualClock();
    const registry = new Registry();
    const counter = await setup.counter(clock, { registry });
    expect(await sharedGauge(registry)).toBe(1);
    expect((await counter.takeSlot('ws', '192.0.2.10', 1)).ok).toBe(true);
    await setup.redis().kill();
    await expect.poll(() => sharedGauge(registry)).toBe(0);
    // Back, with its connection up again, but not yet probed (the clock has not moved): still counting apart.
    await setup.redis().restart();
    const admin = new Redis(setup.redis().url);
    try {
      await expect.poll(async () => (await admin.client('LIST') as string).includes('name=ephemail-limits'), { timeout: 10_000 }).toBe(true);
      await admin.config('RESETSTAT');
      expect(await counter.takeToken('api', '192.0.2.10', BUCKET)).toBeNull();
      // Granted: the caller's own count decides while Redis is away.
      expect((await counter.takeSlot('ws', '192.0.2.10', 1)).ok).toBe(true);
      // Not a command was sent, so nothing could wait for Redis.
      expect((await commandsRun(admin)).filter((name) => !['info', 'config|resetstat'].includes(name))).toEqual([]);
      await probeUntil(clock, registry, 1);
      // Both slots are there now (Redis lost its data), each key with an expiry: the client holds its share twice, so the next is refused.
      await expect.poll(() => admin.zcard(`${PREFIX}limit:ws:192.0.2.10`)).toBe(2);
      expect(await admin.pttl(`${PREFIX}limit:ws:192.0.2.10`)).toBeGreaterThan(0);
      expect(await counter.takeSlot('ws', '192.0.2.10', 1)).toEqual({ ok: false, full: 'client' });
      expect(await counter.takeToken('api', '192.0.2.10', BUCKET)).toEqual({ ok: true });
    } finally {
      admin.disconnect();
    }
  });

  it('comes back only once Redis accepts writes again, not when it merely answers, and says the change once', async () => {
    const clock = createManualClock();
    const registry = new Registry();
    const logged = capturingLogger('info');
    const counter = await setup.counter(clock, { registry, log: logged.log });
    const admin = setup.admin();
    // As with no good replica, out of memory under noeviction, or a read-only replica: PING answers, writes are refused.
    await admin.config('SET', 'min-replicas-to-write', '1');
    try {
      expect(await counter.takeToken('api', '192.0.2.11', BUCKET)).toBeNull();
      expect(await sharedGauge(registry)).toBe(0);
      for (let probe = 0; probe < 5; probe++) {
        clock.advance(1_000);
        // The probe failed once it is scheduled again.
        await expect.poll(() => clock.pending()).toBe(1);
        expect(await sharedGauge(registry)).toBe(0);
      }
    } finally {
      await admin.config('SET', 'min-replicas-to-write', '0');
    }
    await probeUntil(clock, registry, 1);
    expect(await counter.takeToken('api', '192.0.2.11', BUCKET)).toEqual({ ok: true });
    expect(logged.lines.filter((line) => line.event === 'shared_limits').map((line) => line.shared)).toEqual([false, true]);
  });

  it('renews held leases in one transaction, so a key is never left without its expiry', async () => {
    const clock = createManualClock();
    const registry = new Registry();
    const admin = setup.admin();
    const key = `${PREFIX}limit:ws:192.0.2.12`;
    // A user refused PEXPIRE: a renewal's expiry fails while its ZADD would not, as when the connection drops between them.
    await admin.acl('SETUSER', 'no-expiry', 'reset', 'on', '>secret', '~*', '&*', '+@all', '-pexpire');
    const url = new URL(setup.redis().url);
    url.username = 'no-expiry';
    url.password = 'secret';
    const counter = await setup.counter(clock, { registry, url: url.toString() });
    // The slot script fails at its PEXPIRE: counted apart, the slot held here; the key its ZADD left is dropped, as a Redis restart would.
    expect((await counter.takeSlot('ws', '192.0.2.12', 1)).ok).toBe(true);
    expect(await sharedGauge(registry)).toBe(0);
    await admin.del(key);
    await admin.config('RESETSTAT');
    // The probe's write succeeds, and the held lease is written at once: the renewal is refused as a whole.
    clock.advance(1_000);
    await expect.poll(async () => (await commandsRun(admin)).some((name) => name === 'exec' || name === 'pexpire')).toBe(true);
    expect(await admin.pttl(key)).not.toBe(-1);
    expect(await sharedGauge(registry)).toBe(0);
  });

  it('starts nothing on a connection that close() quits while a probe is out', async () => {
    const clock = createManualClock();
    const registry = new Registry();
    const counter = await setup.counter(clock, { registry });
    const limitsConnection = async () => /^id=(\d+) .*name=ephemail-limits/m.exec(await setup.admin().client('LIST') as string)?.[1];
    // Dropped by Redis: counting apart, the probe scheduled; ioredis reconnects by itself meanwhile.
    const killed = await limitsConnection();
    await setup.admin().client('KILL', 'ID', killed!);
    await expect.poll(() => sharedGauge(registry)).toBe(0);
    await expect.poll(async () => (await limitsConnection()) ?? killed, { timeout: 10_000 }).not.toBe(killed);
    clock.advance(1_000);
    // The probe's write is on its way; close() sends QUIT after it, so the probe's answer comes first.
    await counter.close();
    expect(await sharedGauge(registry)).toBe(0);
    // No lease renewal was scheduled on the closed connection.
    expect(clock.pending()).toBe(0);
  });
});
