import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Json = Record<string, any>;

const INBOXES = ['aof0@ephemail.test', 'aof1@ephemail.test', 'aof2@ephemail.test'];
// "About the last second" of docs/deployment.md: what everysec may still owe the disk.
const QUIET_MS = 1_000;

/** What a reader sees of every message: its listing entry and its raw bytes. */
async function everything(server: TestServer): Promise<Json[]> {
  const seen: Json[] = [];
  for (const inbox of INBOXES) {
    const response = await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages?limit=200`);
    expect(response.status).toBe(200);
    for (const message of (await response.json() as Json).messages as Json[]) {
      const raw = await (await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages/${message.id as string}/raw`)).text();
      seen.push({ inbox, id: message.id, subject: message.subject, receivedAt: message.receivedAt, expiresAt: message.expiresAt, raw });
    }
  }
  return seen.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Sends `count` messages over SMTP, spread over the inboxes; each must get 250. */
async function deliver(server: TestServer, label: string, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const to = INBOXES[n % INBOXES.length] as string;
    const info = await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to, subject: `${label} ${n}`, text: `${label} body ${n}` });
    expect(info.accepted).toEqual([to]);
  }
}

async function healthy(server: TestServer): Promise<number> {
  return (await fetch(`${server.httpUrl}/healthz`)).status;
}

/**
 * The promise docs/deployment.md makes for Redis with
 * `--appendonly yes --appendfsync everysec`, the same as --data-dir's:
 * a graceful Redis restart loses nothing, a crash about the last second.
 * Ephemail stays up throughout and finds the mail again by itself.
 */
describe.skipIf(skipRedisTests())('Redis restarted with the append-only file fsynced every second', () => {
  let redis: RedisServer;
  let server: TestServer;

  beforeAll(async () => {
    redis = await startRedisServer({ appendfsync: 'everysec' });
    server = await startTestServer(['--store', redis.url]);
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('keeps every acknowledged message, with its id, times and bytes, across a graceful restart (SIGTERM)', async () => {
    await deliver(server, 'graceful', 12);
    const before = await everything(server);
    expect(before).toHaveLength(12);

    await redis.terminate();
    await redis.restart();
    await expect.poll(() => healthy(server)).toBe(200);
    expect(await everything(server)).toEqual(before);
  });

  it('keeps every message acknowledged a second before Redis is killed (SIGKILL)', async () => {
    await deliver(server, 'crash', 12);
    const lastAcknowledged = Date.now();
    const before = await everything(server);
    expect(before.filter((message) => String(message.subject).startsWith('crash '))).toHaveLength(12);
    // A second of quiet, and Redis says nothing waits to be written or fsynced.
    const probe = new Redis(redis.url);
    try {
      await expect.poll(async () => {
        const persistence = await probe.info('persistence');
        return Date.now() - lastAcknowledged >= QUIET_MS
          && persistence.includes('aof_buffer_length:0') && persistence.includes('aof_pending_bio_fsync:0');
      }).toBe(true);
    } finally {
      probe.disconnect();
    }

    await redis.kill();
    await redis.restart();
    await expect.poll(() => healthy(server)).toBe(200);
    expect(await everything(server)).toEqual(before);
  });
});
