import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { exchange, expansionOf, inboxFor, routeProblems, wellBehaved, type Exchange } from './harness.js';

/**
 * One server per test file, and one test per hostile message, each asserting
 * the same promises: the message is stored and every route for it answers
 * (HTML inert) or it is refused with a clear reply; nothing is thrown; the
 * event loop never stalls for long; mail stays within --memory-limit; and an
 * ordinary message sent right after is stored and readable.
 */

/** One hostile message: its bytes, and what the server must do with it. */
export interface HostileCase {
  name: string;
  expect: 'stored' | 'refused' | 'either';
  build(): Buffer;
  /** More checks on a stored message's answers; returns problems, [] when fine. */
  check?(result: Exchange, server: TestServer): Promise<string[]> | string[];
}

export const MEMORY_LIMIT = 48 * 1024 * 1024;
// The server's main thread is this process: anything over this is a stall every other client feels.
const MAX_LOOP_DELAY_MS = 250;
// On a busy machine a stall can be the scheduler's or an earlier case's garbage
// rather than this message's; a stall the message causes recurs every time.
const ATTEMPTS = 3;
// When every attempt stalled, the machine may be busy: then the bound is this
// many times the stall of an ordinary message as large, measured right after.
// A message that stalls the server itself (say, parsed on the main thread)
// stalls it far longer than plain text of its size does.
const BUSY_RATIO = 4;
// The server's worker threads (512 MB of heap each at most, by design) live in this process too.
const MAX_RSS_GROWTH = 768 * 1024 * 1024;
const CASE_MS = 90_000;

/** Plain text lines, `bytes` long in all: what any message of that size costs the main thread. */
function ordinary(bytes: number): Buffer {
  const head = 'From: friend@example.com\r\nSubject: ordinary\r\n\r\n';
  const line = 'An ordinary line of an ordinary message, nothing to see here.\r\n';
  return Buffer.from(head + line.repeat(Math.max(1, Math.ceil((bytes - head.length) / line.length))), 'latin1');
}

interface Row { name: string; outcome: string; loopMs: number; loopBoundMs: number; attempts: number; expansion: string; parseFailed: boolean | null }

export function describeHostile(title: string, cases: readonly HostileCase[]): void {
  describe(title, () => {
    const rows: Row[] = [];
    const unexpected: unknown[] = [];
    const onUnexpected = (error: unknown) => { unexpected.push(error); };
    let server: TestServer;
    let rssBefore = 0;
    let rssPeak = 0;

    beforeAll(async () => {
      process.on('uncaughtException', onUnexpected);
      process.on('unhandledRejection', onUnexpected);
      // Every message comes from 127.0.0.1, so its share of the store is lifted too.
      server = await startTestServer(['--memory-limit', `${MEMORY_LIMIT}B`, '--memory-share', '100', '--rate-limit', '1000000', '--rate-burst', '1000000']);
      // Starts the parse worker, which is start-up cost rather than any message's.
      expect(await wellBehaved(server)).toBe(true);
      rssBefore = process.memoryUsage().rss;
    });

    afterAll(async () => {
      await server?.close(0);
      process.off('uncaughtException', onUnexpected);
      process.off('unhandledRejection', onUnexpected);
      console.log(`${title}\n${rows.map((row) => JSON.stringify(row)).join('\n')}\nRSS growth ${Math.round((rssPeak - rssBefore) / 1024 / 1024)} MB`);
    });

    it.each(cases.map((hostile) => [hostile.name, hostile] as const))('%s', async (name, hostile) => {
      const raw = hostile.build();
      const inbox = inboxFor(name);
      const result = await exchange(server, inbox, raw);
      const stored = result.reply.code === 250;
      let loopMs = result.maxLoopMs;
      let attempts = 1;
      for (; loopMs >= MAX_LOOP_DELAY_MS && attempts < ATTEMPTS; attempts++) {
        loopMs = Math.min(loopMs, (await exchange(server, inboxFor(name), raw)).maxLoopMs);
      }
      const loopBoundMs = loopMs < MAX_LOOP_DELAY_MS
        ? MAX_LOOP_DELAY_MS
        : Math.max(MAX_LOOP_DELAY_MS, BUSY_RATIO * (await exchange(server, inboxFor('ordinary'), ordinary(raw.length))).maxLoopMs);
      rows.push({
        name, outcome: stored ? 'stored' : `refused ${result.reply.code}`, loopMs: Math.round(loopMs), loopBoundMs: Math.round(loopBoundMs), attempts,
        expansion: expansionOf(result).toFixed(2), parseFailed: result.message?.parseFailed ?? null,
      });

      if (stored) {
        expect(routeProblems(result, raw)).toEqual([]);
        expect(await hostile.check?.(result, server) ?? []).toEqual([]);
      } else {
        // A clear refusal: a 4xx/5xx reply with a sentence, and nothing kept.
        expect(result.reply.text).toMatch(/^[45]\d\d [45]\.\d+\.\d+ \S.{10,}/);
        expect(await server.summaries.list(inbox)).toEqual([]);
      }
      if (hostile.expect !== 'either') expect(stored ? 'stored' : 'refused').toBe(hostile.expect);
      expect(loopMs).toBeLessThan(loopBoundMs);
      expect(await wellBehaved(server)).toBe(true);
      expect((await server.store.stats()).bytes).toBeLessThanOrEqual(MEMORY_LIMIT);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      expect(rssPeak - rssBefore).toBeLessThan(MAX_RSS_GROWTH);
      expect(unexpected).toEqual([]);
    }, CASE_MS);
  });
}
