import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timedDelivery } from '../smtp-hostile/clients.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';
import { styleHeavyMessage } from '../support/style-heavy-html.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Issue 19, finding 3, scaled down: 120 `/html` requests for a 6 MB HTML
 * message full of style attributes, each abandoned after 300 ms, once kept
 * both parse workers busy for minutes, so that another user's first listing
 * took 310 s. Here 3 addresses send 4 waves of 9 such requests, one wave
 * after the other, while in each wave a victim lists an inbox nobody has
 * listed yet (so its digests are read then), a probe asks /healthz and a good
 * client delivers mail.
 */

const ATTACKER_INBOX = 'newsletter@ephemail.test';
const VICTIM_INBOXES = ['victim-1@ephemail.test', 'victim-2@ephemail.test', 'victim-3@ephemail.test', 'victim-4@ephemail.test'];
const ATTACKERS = ['127.0.0.21', '127.0.0.22', '127.0.0.23'];
// One more than a client may have in flight (MAX_READS_PER_CLIENT), so each attacker hears a refusal.
const REQUESTS_PER_ATTACKER = 9;
const ABANDON_AFTER_MS = 300;
const REFUSAL = 'Your address already has 8 reads of messages or listings in flight at once, the most allowed; wait for one to finish, then try again in 2 seconds.';

/** A GET from `localAddress` that hangs up after `abandonAfterMs` unless answered first; resolves with what came back, if anything. */
function abandonedGet(port: number, path: string, localAddress: string, abandonAfterMs: number): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, localAddress }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve(null));
    });
    outgoing.on('error', () => resolve(null));
    outgoing.end();
    // The attack: hang up whatever the server is doing for us.
    setTimeout(() => {
      outgoing.destroy();
      resolve(null);
    }, abandonAfterMs);
  });
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('a burst of abandoned /html requests for a big HTML message', () => {
  let server: TestServer;
  let htmlPath = '';

  beforeAll(async () => {
    // The shipped number of parse workers; every client is on loopback, so the rate limit is lifted.
    server = await startTestServer(['--parse-workers', '2', '--rate-limit', '1000000', '--rate-burst', '1000000']);
    const transport = mailer(server.smtpPort);
    try {
      await transport.sendMail({
        envelope: { from: 'news@example.com', to: ATTACKER_INBOX },
        raw: styleHeavyMessage(6 * 1024 * 1024, { to: ATTACKER_INBOX, subject: 'Six megabytes of styles' }),
      });
      for (let i = 0; i < 8; i++) {
        await transport.sendMail({ from: 'shop@example.com', to: VICTIM_INBOXES, subject: `Your code ${i}`, text: `Your code is 73190${i}.` });
      }
    } finally {
      transport.close();
    }
    const [head] = await server.store.list(ATTACKER_INBOX);
    htmlPath = `/api/inboxes/${ATTACKER_INBOX}/messages/${head?.id}/html`;
    // The threads start with the first job; their start-up is no part of the attack.
    await server.summaries.list(ATTACKER_INBOX);
  }, 60_000);

  afterAll(async () => {
    await server?.close(0);
  });

  it('costs one parse and one render, while first listings, /healthz and deliveries each take under a second', async () => {
    const jobs = (kind: string, outcome: string) => metric(server.httpPort, `ephemail_worker_jobs_total{kind="${kind}",outcome="${outcome}"}`);
    const wave = () => Promise.all(ATTACKERS.flatMap((address) =>
      Array.from({ length: REQUESTS_PER_ATTACKER }, () => abandonedGet(server.httpPort, htmlPath, address, ABANDON_AFTER_MS))));
    const firstListing = async (inbox: string) => {
      const { messages } = await (await fetch(`${server.httpUrl}/api/inboxes/${inbox}/messages`)).json() as { messages: unknown[] };
      expect(messages).toHaveLength(8);
    };
    const health = async () => expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);

    const timings: Array<Record<string, number>> = [];
    const waves: Array<Awaited<ReturnType<typeof wave>>> = [];
    for (const [index, inbox] of VICTIM_INBOXES.entries()) {
      const attack = wave();
      // The first wave is measured once its parse holds a worker; the others while their requests are in flight.
      if (index === 0) await expect.poll(() => jobs('parse', 'run')).toBe(1);
      const [listing, healthz, delivery] = await Promise.all([
        timed(() => firstListing(inbox)),
        timed(health),
        timed(() => timedDelivery(server.smtpPort, 'good@ephemail.test', `Delivered during wave ${index}`)),
      ]);
      timings.push({ listing, healthz, delivery });
      waves.push(await attack);
    }

    const shown = timings.map((wave) => Object.entries(wave).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')).join('; ');
    console.info(`[abandoned reads] ms per wave: ${shown}`);
    expect(Math.max(...timings.flatMap((wave) => Object.values(wave))), shown).toBeLessThan(1_000);
    // While the first wave waits, each attacker's ninth request is refused with a sentence; the others go unanswered.
    const [first = [], ...later] = waves;
    const refused = first.filter((answer) => answer !== null);
    expect(refused.map((answer) => answer.status)).toEqual(Array(ATTACKERS.length).fill(429));
    for (const answer of refused) expect(JSON.parse(answer.body)).toMatchObject({ code: 'too_many_reads', detail: REFUSAL });
    // Later waves may find the document made, and be answered in time.
    for (const answer of later.flat()) {
      if (answer?.status === 429) expect(JSON.parse(answer.body)).toMatchObject({ code: 'too_many_reads' });
      else if (answer !== null) expect(answer.status).toBe(200);
    }

    // A patient reader gets the document, cut to what renders in about a second, made once for everyone.
    const patient = await fetch(`${server.httpUrl}${htmlPath}`);
    expect(patient.status).toBe(200);
    expect(await patient.text()).toContain('characters of HTML are shown, to keep it quick to display');
    expect([await jobs('parse', 'run'), await jobs('html', 'run')]).toEqual([1, 1]);
  }, 30_000);
});
