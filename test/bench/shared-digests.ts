import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { mailer } from '../support/mailer.js';
import * as ours from '../support/test-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { metric } from '../support/scrape.js';

/**
 * Digests read once for all instances on Redis: two in-process instances on
 * one redis-server; 100 fresh 30 KB messages (HTML and a PDF, the issue's
 * wait case) listed on A, then on B; the listings' wall time and the digest
 * jobs each instance's parse worker ran (one worker each, as the test harness
 * starts them). With the path of another checkout (one without the shelf,
 * e.g. `git archive <commit> | tar -x -C /tmp/base` with node_modules linked
 * in), its pair runs beside this one, on a redis-server of its own, rounds
 * alternating so both see the same load. Then the shelf's two round trips,
 * a miss and a write. BENCHMARKS.md, "Digests read once for all instances".
 *
 *   npx tsx test/bench/shared-digests.ts [baseline checkout] [rounds]
 */
const baselineRoot = process.argv[2];
const ROUNDS = Number(process.argv[3] ?? 10);
const MESSAGES = 100;
const ROUND_TRIPS = 1_000;
// SMTP connections at once, under the per-client cap.
const SENT_AT_ONCE = 4;

type TestServer = ours.TestServer;
type StartTestServer = typeof ours.startTestServer;

interface Pair {
  name: string;
  a: TestServer;
  b: TestServer;
  /** Per round: A's listing ms, B's listing ms, digest jobs on A, on B. */
  rows: number[][];
  close(): Promise<void>;
}

async function startPair(name: string, start: StartTestServer): Promise<Pair> {
  const redis = await startRedisServer();
  const flags = ['--store', redis.url, '--inbox-limit', String(MESSAGES * 2)];
  const a = await start(flags);
  const b = await start(flags);
  return {
    name, a, b, rows: [],
    async close() {
      await a.close();
      await b.close();
      await redis.stop();
    },
  };
}

function mail(to: string, i: number): Mail.Options {
  const code = 100_000 + i;
  return {
    from: '"Shop" <shop@example.com>', to, subject: `Your code ${code}`,
    text: `Hello, your verification code is ${code}.\n${'Some text of a newsletter. '.repeat(200)}`,
    html: `<html><body><p>Your code is <b>${code}</b></p>${'<p>Some <i>text</i> of a newsletter.</p>'.repeat(200)}</body></html>`,
    attachments: [{ filename: 'invoice.pdf', content: Buffer.alloc(12_000, i) }],
  };
}

async function listingMs(server: TestServer, inbox: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages?limit=200`);
  const { messages } = await response.json() as { messages: unknown[] };
  if (response.status !== 200 || messages.length !== MESSAGES) throw new Error(`the listing answered ${response.status} with ${messages.length} messages`);
  return performance.now() - started;
}

const digestJobs = (server: TestServer) => metric(server.httpPort, 'ephemail_worker_jobs_total{kind="digest",outcome="run"}');

/** One round: fresh mail through A, listed on A, then on B; recorded unless it is the warm-up. */
async function round(pair: Pair, record: boolean): Promise<void> {
  const inbox = `bench-${randomUUID().slice(0, 8)}@ephemail.test`;
  const transport = mailer(pair.a.smtpPort);
  for (let i = 0; i < MESSAGES; i += SENT_AT_ONCE) {
    await Promise.all(Array.from({ length: SENT_AT_ONCE }, (_, j) => transport.sendMail(mail(inbox, i + j))));
  }
  const before = [await digestJobs(pair.a), await digestJobs(pair.b)];
  const onA = await listingMs(pair.a, inbox);
  const onB = await listingMs(pair.b, inbox);
  if (record) pair.rows.push([onA, onB, await digestJobs(pair.a) - before[0]!, await digestJobs(pair.b) - before[1]!]);
}

function median(values: number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
}

/** Microseconds per call of the shelf's miss (noteOf) and write (keepNote), one after another. */
async function roundTrips(server: TestServer): Promise<void> {
  const notes = server.store.notes;
  if (notes === undefined) throw new Error('this checkout\'s Redis store keeps no notes');
  const inbox = `trips-${randomUUID().slice(0, 8)}@ephemail.test`;
  await mailer(server.smtpPort).sendMail(mail(inbox, 0));
  const [head] = await server.store.list(inbox);
  // About the size of this mail's digest note.
  const note = JSON.stringify({ version: '0.0.0', digest: { preview: 'x'.repeat(400) } });
  const calls = { 'noteOf (a miss)': () => notes.noteOf(inbox, `${head!.id}x`), keepNote: () => notes.keepNote(inbox, head!.id, note) };
  for (const [name, call] of Object.entries(calls)) {
    const started = performance.now();
    for (let i = 0; i < ROUND_TRIPS; i++) await call();
    console.log(`${name}: ${((performance.now() - started) * 1_000 / ROUND_TRIPS).toFixed(0)} µs a call`);
  }
}

const pairs = [await startPair('this checkout', ours.startTestServer)];
if (baselineRoot !== undefined) {
  const baseline = await import(resolve(baselineRoot, 'test/support/test-server.ts')) as typeof ours;
  pairs.push(await startPair(baselineRoot, baseline.startTestServer));
}
// A warm-up round each (the first parse loads mailparser in the worker), then rounds alternating.
for (const pair of pairs) await round(pair, false);
for (let i = 0; i < ROUNDS; i++) for (const pair of pairs) await round(pair, true);
for (const { name, rows } of pairs) {
  const column = (index: number) => median(rows.map((row) => row[index]!));
  console.log(`${name}: ${MESSAGES} fresh messages, medians of ${ROUNDS} rounds: listing on A ${column(0).toFixed(1)} ms, then on B ${column(1).toFixed(1)} ms; digest jobs A ${column(2)}, B ${column(3)}`);
}
await roundTrips(pairs[0]!.a);
for (const pair of pairs) await pair.close();
