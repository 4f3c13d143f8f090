import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { skipRedisTests, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Json = Record<string, any>;

const INBOXES = ['load0@ephemail.test', 'load1@ephemail.test', 'load2@ephemail.test', 'load3@ephemail.test'];

/** What happened to each message the load sent. */
interface Outcome {
  subject: string;
  inbox: string;
  code: number;
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function status(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/**
 * Redis dies mid-load and comes back: SMTP must answer 451 while it is away
 * (the sender keeps the message and retries), the API 503, and every message
 * that got 250 must be readable afterwards. Redis runs with the append-only
 * file fsynced on every write, the setting docs/deployment.md asks for when
 * accepted mail must survive a Redis crash.
 */
describe.skipIf(skipRedisTests())('Redis killed and restarted under load', () => {
  let redis: RedisServer;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    redis = await startRedisServer({ appendfsync: 'always' });
    const flags = ['--store', redis.url, '--inbox-limit', '10000', '--parse-workers', '1'];
    a = await startTestServer(flags);
    b = await startTestServer(flags);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('loses no acknowledged message, answers 451 and 503 while down, and recovers by itself', { timeout: 90_000 }, async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    let sent = 0;
    const worker = async (inbox: string) => {
      while (running) {
        const subject = `load ${sent++}`;
        try {
          await mailer(a.smtpPort).sendMail({ from: 'load@example.com', to: inbox, subject, text: subject });
          outcomes.push({ subject, inbox, code: 250 });
        } catch (error) {
          outcomes.push({ subject, inbox, code: (error as { responseCode?: number }).responseCode ?? 0 });
        }
      }
    };
    const accepted = () => outcomes.filter((outcome) => outcome.code === 250).length;
    const workers = INBOXES.map((inbox) => worker(inbox));

    await until(() => accepted() >= 20, '20 messages before the outage');
    await redis.kill();
    await until(() => outcomes.some((outcome) => outcome.code === 451), 'a 451 while Redis is down');

    // While down: health, reads and waits fail fast and say why.
    expect(await status(`${a.httpUrl}/healthz`)).toBe(503);
    const read = await fetch(`${b.httpUrl}/api/inboxes/${INBOXES[0]}/messages`);
    expect(read.status).toBe(503);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    const problem = await read.json() as Json;
    expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(problem.detail).toMatch(/Redis/);
    expect((await fetch(`${b.httpUrl}/api/inboxes/${INBOXES[0]}/wait?timeout=1`)).status).toBe(503);

    const acceptedBefore = accepted();
    await redis.restart();
    await until(async () => await status(`${a.httpUrl}/healthz`) === 200 && await status(`${b.httpUrl}/healthz`) === 200, 'both instances healthy again');
    await until(() => accepted() >= acceptedBefore + 20, '20 messages after the outage');
    running = false;
    await Promise.all(workers);

    // B's event connection subscribed again by itself: it hears of mail sent to A.
    const heard: string[] = [];
    const unsubscribe = b.store.subscribe((event) => {
      if (event.type !== 'message') return;
      void b.summaries.of(event.message).then((summary) => heard.push(summary?.subject ?? ''));
    });
    await mailer(a.smtpPort).sendMail({ from: 'load@example.com', to: INBOXES[0], subject: 'after the outage', text: 'hello' });
    await until(() => heard.includes('after the outage'), 'B to hear of mail sent to A after the outage');
    unsubscribe();

    const refused = outcomes.filter((outcome) => outcome.code !== 250);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((outcome) => outcome.code === 451)).toBe(true);
    const stored = new Set<string>();
    for (const inbox of INBOXES) {
      const response = await fetch(`${b.httpUrl}/api/inboxes/${inbox}/messages?limit=200`);
      expect(response.status).toBe(200);
      const messages = (await response.json() as Json).messages as Json[];
      // Fewer than a page, so the page is the whole inbox.
      expect(messages.length).toBeLessThan(200);
      for (const message of messages) stored.add(message.subject as string);
    }
    const lost = outcomes.filter((outcome) => outcome.code === 250 && !stored.has(outcome.subject));
    expect(lost).toEqual([]);
  });
});
