import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';
import { dataBlock, openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// Past the webhook queue (1,000 waiting) and its 4 posts in flight.
const MESSAGES = 1_010;
const QUEUED_AND_IN_FLIGHT = 1_004;

/**
 * A webhook receiver that accepts connections and never answers, while a
 * client sends more mail than the webhook queue holds: intake must not slow
 * down, the queue must stay bounded, and its drops must be counted.
 */
describe('webhooks: a receiver that never answers', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    receiver.answer = () => 'hang';
    server = await startTestServer(['--webhook-url', receiver.url, '--webhook-secret', 'a-webhook-secret-of-32-characters']);
  });

  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('slows no delivery, holds four posts and 1,000 heads, and counts the rest as dropped', async () => {
    const dialog = await openDialog(server.smtpPort);
    await dialog.command('EHLO flood.test');
    let slowest = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const started = performance.now();
      const replies = await dialog.pipeline(['MAIL FROM:<flood@example.com>', `RCPT TO:<flood${i % 50}@ephemail.test>`, 'DATA']);
      expect(replies.map((reply) => reply.code)).toEqual([250, 250, 354]);
      const stored = dialog.read();
      await dialog.write(dataBlock(`Subject: flood ${i}\r\n\r\nYour code is 731904.`));
      expect((await stored).code).toBe(250);
      slowest = Math.max(slowest, performance.now() - started);
    }
    dialog.close();
    expect(slowest).toBeLessThan(1_000);

    await expect.poll(() => receiver.posts.length).toBe(4);
    expect(await metric(server.httpPort, 'ephemail_webhook_deliveries_total{outcome="dropped"}')).toBe(MESSAGES - QUEUED_AND_IN_FLIGHT);

    // A neighbour meanwhile: a good client's delivery and /healthz, each under a second.
    const sent = performance.now();
    await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: 'good@ephemail.test', subject: 'Welcome', text: 'Your code is 408213.' });
    expect(performance.now() - sent).toBeLessThan(1_000);
    const asked = performance.now();
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    expect(performance.now() - asked).toBeLessThan(1_000);
    expect(await metric(server.httpPort, 'ephemail_webhook_deliveries_total{outcome="dropped"}')).toBe(MESSAGES + 1 - QUEUED_AND_IN_FLIGHT);
    expect(receiver.posts).toHaveLength(4);
  });
});
