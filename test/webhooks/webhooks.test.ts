import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '../../src/webhooks/payload.js';
import { capturingLogger } from '../support/log-lines.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { metric } from '../support/scrape.js';
import { sendRaw } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startWebhookReceiver, type ReceivedPost, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'a-webhook-secret-of-32-characters';
const CODE_MAIL = 'From: Shop <noreply@shop.example>\r\nSubject: Your code\r\n\r\nYour verification code is 731904.';

/** True when the post's signature is the HMAC-SHA256 of its exact body under `secret`, compared as a receiver should. */
function signedBy(post: ReceivedPost, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(post.body).digest('hex')}`);
  const given = Buffer.from(String(post.headers['x-ephemail-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const outcome = (server: TestServer, name: string) => metric(server.httpPort, `ephemail_webhook_deliveries_total{outcome="${name}"}`);

describe('webhooks', () => {
  let server: TestServer | null = null;
  let receiver: WebhookReceiver | null = null;
  afterEach(async () => {
    await server?.close();
    await receiver?.close();
    server = null;
    receiver = null;
  });

  async function start(flags: string[] = [], options: { clock?: ManualClock; log?: ReturnType<typeof capturingLogger>['log'] } = {}) {
    receiver = await startWebhookReceiver();
    server = await startTestServer(['--webhook-url', receiver.url, '--webhook-secret', SECRET, ...flags], options);
    return { server, receiver };
  }

  async function send(port: number, to: string[], body = CODE_MAIL): Promise<void> {
    expect((await sendRaw(port, { to, body })).at(-1)?.code).toBe(250);
  }

  it('posts each stored copy as JSON, signed over the exact body, with the URLs that read it', async () => {
    const { server, receiver } = await start();
    await send(server.smtpPort, ['alice@ephemail.test', 'bob@ephemail.test']);
    await expect.poll(() => receiver.posts.length).toBe(2);

    for (const post of receiver.posts) {
      expect(signedBy(post, SECRET)).toBe(true);
      expect(signedBy(post, `${SECRET}x`)).toBe(false);
      expect(post.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Ephemail' });
      expect(post.headers['x-ephemail-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(receiver.posts.map((post) => post.headers['x-ephemail-delivery'])).size).toBe(2);

    const payloads = receiver.posts.map((post) => JSON.parse(post.body) as WebhookPayload).sort((a, b) => a.inbox.localeCompare(b.inbox));
    const [stored] = await server.summaries.list('alice@ephemail.test');
    const base = `/api/inboxes/alice%40ephemail.test/messages/${stored?.id}`;
    expect(payloads[0]).toEqual({
      inbox: 'alice@ephemail.test',
      id: stored?.id,
      receivedAt: new Date(stored?.receivedAt ?? 0).toISOString(),
      from: { name: 'Shop', address: 'noreply@shop.example' },
      subject: 'Your code',
      codes: ['731904'],
      urls: { message: base, html: `${base}/html`, text: `${base}/text`, raw: `${base}/raw`, report: `${base}/report` },
    });
    expect(payloads[1]?.inbox).toBe('bob@ephemail.test');
    for (const link of [payloads[0]?.urls.message, payloads[0]?.urls.text, payloads[0]?.urls.raw]) {
      expect((await fetch(`${server.httpUrl}${link}`)).status).toBe(200);
    }
    expect(await outcome(server, 'delivered')).toBe(2);
  });

  it('makes the URLs absolute under the first --public-url origin', async () => {
    const { server, receiver } = await start(['--public-url', 'https://mail.example.com,https://other.example.com']);
    await send(server.smtpPort, ['alice@ephemail.test']);
    await expect.poll(() => receiver.posts.length).toBe(1);
    const payload = JSON.parse(receiver.posts[0]?.body ?? '') as WebhookPayload;
    expect(payload.urls.message).toBe(`https://mail.example.com/api/inboxes/alice%40ephemail.test/messages/${payload.id}`);
  });

  it('retries after a 500, with the same body and delivery id, once the clock has moved a second', async () => {
    const clock = createManualClock();
    const { server, receiver } = await start([], { clock });
    // The manual clock's time at each arrival: a retry sent before its pause was over would arrive too early.
    const arrivals: number[] = [];
    receiver.answer = (index) => {
      arrivals.push(clock.now());
      return { status: index === 0 ? 500 : 204 };
    };
    await send(server.smtpPort, ['alice@ephemail.test']);
    await expect.poll(() => outcome(server, 'retried')).toBe(1);

    clock.advance(999);
    expect(receiver.posts).toHaveLength(1);
    clock.advance(1);
    await expect.poll(() => outcome(server, 'delivered')).toBe(1);
    expect(arrivals.length === 2 && (arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(1_000);
    const [first, second] = receiver.posts;
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['x-ephemail-delivery']).toBe(first?.headers['x-ephemail-delivery']);
    expect(signedBy(second as ReceivedPost, SECRET)).toBe(true);
  });

  it('tries five times 1, 2, 4 and 8 s apart on 503 and 429, then logs one line without the inbox', async () => {
    const clock = createManualClock();
    const capture = capturingLogger('info');
    const { server, receiver } = await start([], { clock, log: capture.log });
    const arrivals: number[] = [];
    receiver.answer = (index) => {
      arrivals.push(clock.now());
      return { status: index % 2 === 0 ? 503 : 429 };
    };
    await send(server.smtpPort, ['alice@ephemail.test']);
    for (const [retries, pause] of [[1, 1_000], [2, 2_000], [3, 4_000], [4, 8_000]] as const) {
      await expect.poll(() => outcome(server, 'retried')).toBe(retries);
      clock.advance(pause - 1);
      expect(receiver.posts).toHaveLength(retries);
      clock.advance(1);
    }
    await expect.poll(() => outcome(server, 'failed')).toBe(1);
    expect(receiver.posts).toHaveLength(5);
    // Each retry left no sooner than its pause: 1, 2, 4 and 8 s on the clock.
    expect(arrivals.slice(1).map((at, index) => at - (arrivals[index] ?? 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
    const failures = capture.lines.filter((line) => line.event === 'webhook_failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 40, attempts: 5, msg: expect.stringMatching(/was not delivered after 5 attempts: the receiver answered 503\.$/) });
    expect(JSON.stringify(failures[0])).not.toContain('alice');
  });

  it('gives up at once on a 4xx other than 429, and on a redirect, which it does not follow', async () => {
    const elsewhere = await startWebhookReceiver();
    try {
      const capture = capturingLogger('info');
      const { server, receiver } = await start([], { log: capture.log });
      receiver.answer = (index) => (index === 0 ? { status: 404 } : { status: 307, headers: { location: elsewhere.url } });
      await send(server.smtpPort, ['alice@ephemail.test']);
      await expect.poll(() => outcome(server, 'failed')).toBe(1);
      await send(server.smtpPort, ['alice@ephemail.test']);
      await expect.poll(() => outcome(server, 'failed')).toBe(2);

      expect(receiver.posts).toHaveLength(2);
      expect(elsewhere.posts).toHaveLength(0);
      expect(await outcome(server, 'retried')).toBe(0);
      expect(capture.lines.filter((line) => line.event === 'webhook_failed').map((line) => line.msg)).toEqual([
        expect.stringMatching(/after 1 attempt: the receiver answered 404\.$/),
        expect.stringMatching(/after 1 attempt: the receiver answered 307, a redirect, which is not followed\.$/),
      ]);
    } finally {
      await elsewhere.close();
    }
  });

  it('holds four posts on a receiver that never answers, stores every message meanwhile, and times them out after 10 s', async () => {
    const clock = createManualClock();
    const { server, receiver } = await start([], { clock });
    receiver.answer = () => 'hang';
    for (let i = 0; i < 10; i++) await send(server.smtpPort, ['alice@ephemail.test']);
    expect((await server.store.list('alice@ephemail.test')).length).toBe(10);
    await expect.poll(() => receiver.posts.length).toBe(4);

    clock.advance(10_000);
    await expect.poll(() => outcome(server, 'retried')).toBe(4);
    expect(receiver.posts).toHaveLength(4);
    expect(await outcome(server, 'dropped')).toBe(0);
  });

  it('counts a message deleted before its turn as gone, and posts nothing for it', async () => {
    const { server, receiver } = await start();
    receiver.answer = () => 'hang';
    for (let i = 0; i < 5; i++) await send(server.smtpPort, ['alice@ephemail.test']);
    await expect.poll(() => receiver.posts.length).toBe(4);
    expect(await server.store.deleteInbox('alice@ephemail.test')).toBe(5);
    receiver.release(204);
    await expect.poll(() => outcome(server, 'gone')).toBe(1);
    expect(await outcome(server, 'delivered')).toBe(4);
    expect(receiver.posts).toHaveLength(4);
  });
});
