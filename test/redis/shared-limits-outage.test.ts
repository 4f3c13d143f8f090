import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProgram, type RunningProgram } from '../support/cli-process.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock } from '../support/manual-clock.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { eventsUrl, openEvents, refusal, type EventClient } from '../ws/ws-client.js';

// The lease of src/shared-limits/redis-limits.ts: what a crashed instance's slots are held for at most.
const LEASE_MS = 30_000;
const INBOX = 'outage@ephemail.test';

/** The status of one request, its body read. */
async function statusOf(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

async function sharedGauge(server: TestServer): Promise<string | undefined> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return /^ephemail_shared_limits (\d)$/m.exec(text)?.[1];
}

/** The HTTP port an `ephemail` child process printed in its banner. */
async function httpPortOf(program: RunningProgram): Promise<number> {
  await expect.poll(() => /HTTP {2}http:\/\/[^:]+:(\d+)/.test(program.stdout()), { timeout: 20_000 }).toBe(true);
  return Number(/HTTP {2}http:\/\/[^:]+:(\d+)/.exec(program.stdout())![1]);
}

describe.skipIf(skipRedisTests())('slots of an instance that crashed', () => {
  let redis: RedisServer;
  let survivor: TestServer;
  const clock = createManualClock(Date.now());
  const sockets: EventClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    survivor = await startTestServer(['--store', redis.url, '--ws-max-per-client', '2'], { clock });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await survivor?.close();
    await redis?.stop();
  });

  it('are free again on the other instances once their lease has run out', { timeout: 40_000 }, async () => {
    const crashing = startProgram(['--store', redis.url, '--smtp-port', '0', '--http-port', '0', '--parse-workers', '1', '--ws-max-per-client', '2', '--log-level', 'warn']);
    try {
      const port = await httpPortOf(crashing);
      for (let i = 0; i < 2; i++) sockets.push(await openEvents(eventsUrl(port, INBOX)));
      expect((await refusal(eventsUrl(survivor.httpPort, INBOX))).status).toBe(429);
    } finally {
      crashing.kill('SIGKILL');
    }
    await crashing.done;
    // Its sockets are gone, but nothing released their slots: they are held until their leases end.
    expect((await refusal(eventsUrl(survivor.httpPort, INBOX))).status).toBe(429);
    // The child's leases end LEASE_MS after it took them, by its own clock: real time.
    clock.advance(Date.now() - clock.now() + LEASE_MS + 1);
    sockets.push(await openEvents(eventsUrl(survivor.httpPort, INBOX)));
    sockets.push(await openEvents(eventsUrl(survivor.httpPort, INBOX)));
    expect((await refusal(eventsUrl(survivor.httpPort, INBOX))).status).toBe(429);
  });
});

describe.skipIf(skipRedisTests())('per-client limits while Redis is killed and restarted', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;
  const BURST = 5;
  const logged = capturingLogger('info');
  const limitLines = () => logged.lines.filter((line) => line.event === 'shared_limits').map((line) => ({ level: line.level, shared: line.shared }));

  beforeAll(async () => {
    redis = await startRedisServer();
    // One token a minute: nothing refills during the test.
    const flags = ['--store', redis.url, '--rate-limit', '1', '--rate-burst', String(BURST)];
    a = await startTestServer(flags, { log: logged.log });
    b = await startTestServer(flags);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  /** Alternates requests over `servers` until each has refused one; how many were answered, and the statuses seen. */
  async function spend(...servers: TestServer[]): Promise<{ answered: number; statuses: Set<number> }> {
    let answered = 0;
    const statuses = new Set<number>();
    const refused = new Set<TestServer>();
    for (let i = 0; refused.size < servers.length && i < 100; i++) {
      const server = servers[i % servers.length]!;
      const status = await statusOf(`${server.httpUrl}/api/domains`);
      statuses.add(status);
      if (status === 200) answered++;
      else refused.add(server);
    }
    return { answered, statuses };
  }

  it('falls back to each instance\'s own count, which spent what it answered, says so, and shares again once Redis is back', { timeout: 30_000 }, async () => {
    expect(await sharedGauge(a)).toBe('1');
    // The whole burst spent on A, counted in Redis and by A itself: B refuses too.
    expect(await spend(a)).toEqual({ answered: BURST, statuses: new Set([200, 429]) });
    expect(await spend(b)).toEqual({ answered: 0, statuses: new Set([429]) });

    await redis.kill();
    // A counted what it answered, so losing Redis gives it no fresh burst; B answered nothing, so its own count has the burst.
    expect(await spend(a)).toEqual({ answered: 0, statuses: new Set([429]) });
    expect(await spend(b)).toEqual({ answered: BURST, statuses: new Set([200, 429]) });
    expect(await sharedGauge(a)).toBe('0');
    expect(await sharedGauge(b)).toBe('0');
    // One warning at the change, however many requests were counted apart.
    expect(limitLines()).toEqual([{ level: 40, shared: false }]);

    await redis.restart();
    await expect.poll(async () => [await sharedGauge(a), await sharedGauge(b)], { timeout: 10_000 }).toEqual(['1', '1']);
    // The restarted Redis kept nothing: one fresh burst for both together, though neither has a token of its own left.
    expect(await spend(a, b)).toMatchObject({ answered: BURST, statuses: new Set([200, 429]) });
    expect(limitLines()).toEqual([{ level: 40, shared: false }, { level: 30, shared: true }]);
  });
});
