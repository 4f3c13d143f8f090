import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_FORMAT, digestRaw, summaryOf } from '../../src/mail/read/digest.js';
import { createDigestShelf } from '../../src/mail/read/digest-shelf.js';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { createSummaries } from '../../src/mail/read/summaries.js';
import { packageVersion } from '../../src/runtime/package-version.js';
import { redisKeys } from '../../src/store/redis/keys.js';
import { createWorkerPool } from '../../src/worker/pool.js';
import { mailer } from '../support/mailer.js';
import { makeDigest } from '../support/messages.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { metric } from '../support/scrape.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const keys = redisKeys();

/** A fresh inbox per test, so tests on the shared Redis never see each other's mail. */
const address = (name: string) => `${name}-${randomUUID().slice(0, 8)}@ephemail.test`;

/**
 * Mail to the inboxes `to` with something in every field of a digest, and
 * characters JSON must carry faithfully: its To header names 60 more
 * mailboxes than fit in a digest, which the envelope does not deliver to.
 */
function richMail(to: string[], subject = 'Votre code ✉ « 482913 »'): Mail.Options {
  const others = Array.from({ length: 60 }, (_, i) => `"Lecteur n°${i} 😀" <reader-${i}-${'x'.repeat(20)}@example.org>`);
  return {
    envelope: { from: 'shop@example.com', to },
    from: '"Boutique \u00e9t\u00e9 🛍" <shop@example.com>',
    to: [...to, ...others],
    subject,
    text: `Bonjour,\n\tvotre code est 482913.\u200b Il expire dans 10 minutes.\n${'Ligne de texte. '.repeat(80)}`,
    html: '<p>Votre code est <b>482913</b>.</p>',
    attachments: [{ filename: 'facture.pdf', content: Buffer.alloc(2_000, 7) }],
  };
}

/** The summaries of an inbox's listing on `server`, as the API writes them. */
async function listing(server: TestServer, inbox: string): Promise<unknown[]> {
  const response = await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages`);
  expect(response.status).toBe(200);
  return (await response.json() as { messages: unknown[] }).messages;
}

/** The digests `server` needed so far, by source, and the digest jobs its parse workers ran. */
async function digestCounts(server: TestServer) {
  const [parsed, shared, jobs] = await Promise.all([
    metric(server.httpPort, 'ephemail_digests_total{source="parsed"}'),
    metric(server.httpPort, 'ephemail_digests_total{source="shared"}'),
    metric(server.httpPort, 'ephemail_worker_jobs_total{kind="digest",outcome="run"}'),
  ]);
  return { parsed, shared, jobs };
}

/** What `server` needed since `before`. */
async function countsSince(server: TestServer, before: Awaited<ReturnType<typeof digestCounts>>) {
  const now = await digestCounts(server);
  return { parsed: now.parsed - before.parsed, shared: now.shared - before.shared, jobs: now.jobs - before.jobs };
}

describe.skipIf(skipRedisTests())('digests read once for all instances on one Redis', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    a = await startTestServer(['--store', redisServer.url]);
    b = await startTestServer(['--store', redisServer.url]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  /** The Redis key of the note on the bytes of copy `id`. */
  async function noteKey(id: string): Promise<string> {
    const meta = JSON.parse(await redis.hget(keys.index, id) ?? 'null') as { blob: string };
    return keys.note(meta.blob);
  }

  /** Sends rich mail to `inbox` through A and lists it there, so that A reads its digest; returns the id and A's listing. */
  async function listedOnA(inbox: string) {
    await mailer(a.smtpPort).sendMail(richMail([inbox]));
    const onA = await listing(a, inbox);
    const [head] = await a.store.list(inbox);
    return { id: head!.id, onA };
  }

  it('lists on B a message A has listed without a parse job on B, and shows the same summary', async () => {
    const inbox = address('shelf');
    const beforeA = await digestCounts(a);
    const { onA } = await listedOnA(inbox);
    expect(await countsSince(a, beforeA)).toEqual({ parsed: 1, shared: 0, jobs: 1 });
    const beforeB = await digestCounts(b);
    expect(await listing(b, inbox)).toEqual(onA);
    expect(await countsSince(b, beforeB)).toEqual({ parsed: 0, shared: 1, jobs: 0 });
  });

  it('takes from the shelf exactly what B would have read from the bytes itself', async () => {
    const inbox = address('same');
    const { id } = await listedOnA(inbox);
    const stored = await b.store.get(inbox, id);
    const before = await digestCounts(b);
    const fromShelf = await b.summaries.of(stored!.head);
    expect(await countsSince(b, before)).toEqual({ parsed: 0, shared: 1, jobs: 0 });
    expect(fromShelf).toEqual(summaryOf(stored!.head, await digestRaw(stored!.raw)));
    expect(fromShelf).toMatchObject({ codes: ['482913'], attachmentCount: 1, toOmitted: expect.any(Number) });
    expect(fromShelf!.toOmitted).toBeGreaterThan(0);
  });

  it('reads the bytes of one delivery to several inboxes once', async () => {
    const inboxes = [address('one'), address('two'), address('three')];
    const before = await digestCounts(a);
    await mailer(a.smtpPort).sendMail(richMail(inboxes));
    for (const inbox of inboxes) expect(await listing(a, inbox)).toHaveLength(1);
    expect(await countsSince(a, before)).toEqual({ parsed: 1, shared: 2, jobs: 1 });
  });

  it('gives both instances the same summaries when they read the same fresh mail at once', async () => {
    const inbox = address('race');
    for (let i = 0; i < 6; i++) await mailer(a.smtpPort).sendMail(richMail([inbox], `race ${i} 48291${i}`));
    const [beforeA, beforeB] = await Promise.all([digestCounts(a), digestCounts(b)]);
    const [onA, onB] = await Promise.all([listing(a, inbox), listing(b, inbox)]);
    expect(onB).toEqual(onA);
    expect(onA).toHaveLength(6);
    const [sinceA, sinceB] = await Promise.all([countsSince(a, beforeA), countsSince(b, beforeB)]);
    // Each instance needed six digests. Nothing locks a read, so both may read a message
    // they reach at the same moment; but each message was read by at least one.
    expect(sinceA.parsed + sinceA.shared).toBe(6);
    expect(sinceB.parsed + sinceB.shared).toBe(6);
    expect(sinceA.parsed + sinceB.parsed).toBeGreaterThanOrEqual(6);
    // Whichever instance wrote last, each message's note is whole and holds what both showed.
    for (const shown of onA as Array<{ id: string; subject: string; preview: string; codes: string[] }>) {
      const note = JSON.parse(await redis.get(await noteKey(shown.id)) ?? 'null') as unknown;
      expect(note).toMatchObject({ format: DIGEST_FORMAT, digest: { subject: shown.subject, preview: shown.preview, codes: shown.codes } });
    }
  });

  it.each([
    ['cut short', `{"format":${DIGEST_FORMAT},"digest":{"from":null,`],
    ['not JSON', 'garbage'],
    ['missing a field', JSON.stringify({ format: DIGEST_FORMAT, digest: { ...makeDigest(), codes: undefined } })],
    ['of another format', JSON.stringify({ format: DIGEST_FORMAT + 1, digest: makeDigest({ subject: 'not what the mail says' }) })],
    // As releases before DIGEST_FORMAT wrote them, which kept digests no worker had finished.
    ['naming a release', JSON.stringify({ version: packageVersion(), digest: makeDigest({ subject: 'not what the mail says', parseFailed: true }) })],
  ])('ignores a note %s, reads the bytes afresh and puts the right one in its place', async (_, note) => {
    const inbox = address('garbage');
    const { id, onA } = await listedOnA(inbox);
    const key = await noteKey(id);
    await redis.set(key, note, 'KEEPTTL');
    const before = await digestCounts(b);
    expect(await listing(b, inbox)).toEqual(onA);
    expect(await countsSince(b, before)).toEqual({ parsed: 1, shared: 0, jobs: 1 });
    expect(JSON.parse(await redis.get(key) ?? 'null')).toMatchObject({ format: DIGEST_FORMAT, digest: { codes: ['482913'] } });
  });

  it('shares no digest a worker did not finish: a read cut short at shutdown leaves B to read the bytes itself', async () => {
    const inbox = address('unfinished');
    await mailer(a.smtpPort).sendMail(richMail([inbox]));
    const [head] = await a.store.list(inbox);
    // A's reading as it is while A stops: the parse pool has closed, so every digest is its fallback.
    const closedPool = createWorkerPool({ workers: 1, timeoutMs: 10_000, workerHeapMb: 128, maxQueuedPerLane: 4 });
    await closedPool.close();
    const stopping = createSummaries({
      store: a.store,
      readDigest: (raw, signal) => closedPool.digest(raw, signal),
      reader: createMessageReader({ parse: (raw, signal) => closedPool.parse(raw, signal), cacheBytes: 1024 * 1024 }),
      cacheBytes: 64 * 1024,
      shelf: createDigestShelf(a.store.notes!),
    });
    expect(await stopping.of(head!)).toMatchObject({ parseFailed: true });
    expect(await redis.exists(await noteKey(head!.id))).toBe(0);
    const before = await digestCounts(b);
    expect(await listing(b, inbox)).toEqual([expect.objectContaining({ parseFailed: false, codes: ['482913'] })]);
    expect(await countsSince(b, before)).toEqual({ parsed: 1, shared: 0, jobs: 1 });
  });

  it('leaves no note once a message listed on both is deleted', async () => {
    const inbox = address('deleted');
    const { id } = await listedOnA(inbox);
    await listing(b, inbox);
    const key = await noteKey(id);
    expect(await redis.exists(key)).toBe(1);
    expect((await fetch(`${b.httpUrl}/api/inboxes/${inbox}/messages/${id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect(await redis.exists(key)).toBe(0);
  });
});
