import { afterEach, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../src/mail/read/digest.js';
import { createLogger } from '../../src/runtime/log.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createWebhooks, type Webhooks } from '../../src/webhooks/webhooks.js';
import { WorkersBusyError } from '../../src/worker/job-queue.js';
import { createManualClock } from '../support/manual-clock.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// The summary a listing would show; the parse workers are what this test makes busy.
const head = { id: '01k0x7d9q3m8f5t2v6w4yzab7c', inbox: 'alice@ephemail.test', tag: null, receivedAt: Date.UTC(2026, 0, 1), expiresAt: Date.UTC(2026, 0, 2), size: 100 };
const summary = { ...head, from: null, to: [], toOmitted: 0, subject: 'Your code', preview: '', codes: ['731904'], attachmentCount: 0, hasHtml: false } as unknown as MessageSummary;

describe('webhooks while the parse workers are busy', () => {
  let receiver: WebhookReceiver | null = null;
  let webhooks: Webhooks | null = null;
  afterEach(async () => {
    webhooks?.close();
    await receiver?.close();
  });

  it('ask for the summary again after a pause instead of losing the post', async () => {
    receiver = await startWebhookReceiver();
    const clock = createManualClock();
    const metrics = createMetrics(() => ({ messages: 0, bytes: 0 }) as never);
    let asked = 0;
    const summaries = {
      of: async () => {
        asked++;
        if (asked < 3) throw new WorkersBusyError('digest');
        return summary;
      },
    };
    webhooks = createWebhooks({ config: { url: receiver.url, secret: 'a-webhook-secret-of-32-characters', linkBase: '' }, summaries, clock, metrics, log: createLogger('silent') });
    webhooks.notify(head);
    await expect.poll(() => asked).toBe(1);
    clock.advance(1_000);
    await expect.poll(() => asked).toBe(2);
    clock.advance(2_000);
    await expect.poll(() => receiver?.posts.length).toBe(1);
    expect(JSON.parse(receiver.posts[0]?.body ?? '{}')).toMatchObject({ id: head.id, codes: ['731904'] });
    // Counted once the receiver's answer is read, which may come a moment after the post is seen there.
    await expect.poll(() => metrics.registry.getSingleMetricAsString('ephemail_webhook_deliveries_total')).toContain('outcome="delivered"} 1');
  });
});
