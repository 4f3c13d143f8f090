import type { WebhookConfig } from '../config/config.js';
import type { Summaries } from '../mail/read/summaries.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/log.js';
import type { Metrics, WebhookOutcome } from '../runtime/metrics.js';
import type { MessageHead } from '../store/message.js';
import { WorkersBusyError } from '../worker/job-queue.js';
import { webhookPayload } from './payload.js';
import { createBoundedQueue } from './queue.js';
import { createWebhookSender } from './sender.js';

/** What the webhooks need. */
export interface WebhooksOptions {
  config: WebhookConfig;
  /** Where each message's digest is read, in a parse worker, once for every reader of it. */
  summaries: Pick<Summaries, 'of'>;
  clock: Clock;
  metrics: Pick<Metrics, 'webhookDeliveries'>;
  log: Logger;
}

/** Signed posts of every stored copy to the operator's URL. */
export interface Webhooks {
  /** Queues the webhook of a stored copy and returns at once: intake never waits for a receiver. */
  notify(head: MessageHead): void;
  /** Drops what waits and abandons what is under way: the queue lives in memory only. */
  close(): void;
}

// Heads waiting for a slot: a few hundred bytes each, so a receiver that is
// down holds at most some 300 KB. Past it the oldest waiting is dropped.
const QUEUE_CAPACITY = 1_000;
// Posts under way at once, retry pauses included; a receiver that hangs holds only these.
const IN_FLIGHT = 4;
// When the parse workers' queue is full (a flood of mail being read), the
// summary is asked for again after 1, 2, 3 and 4 s rather than the post lost.
const BUSY_ATTEMPTS = 5;
const BUSY_PAUSE_MS = 1_000;

/**
 * Told of each stored copy by the store's `message` event, the webhooks queue
 * its head, read its summary when a slot is free (through the summaries
 * cache, so a listing or wait of the same message reads no second digest),
 * and post it signed. Failures are counted and logged once each, naming the
 * message id but not the inbox: log lines travel further than the webhook.
 */
export function createWebhooks({ config, summaries, clock, metrics, log }: WebhooksOptions): Webhooks {
  const count = (outcome: WebhookOutcome) => metrics.webhookDeliveries.inc({ outcome });
  const sender = createWebhookSender({ url: config.url, secret: config.secret, clock, onRetry: () => count('retried') });
  const queue = createBoundedQueue<MessageHead>({ capacity: QUEUE_CAPACITY, concurrency: IN_FLIGHT, run: deliver, onDrop: () => count('dropped') });
  let closed = false;

  async function deliver(head: MessageHead): Promise<void> {
    let body: string;
    try {
      const summary = await summaryOf(head);
      // Deleted or expired before its turn: there is nothing left to link to.
      if (summary === undefined) {
        count('gone');
        return;
      }
      body = JSON.stringify(webhookPayload(summary, config.linkBase));
    } catch (error) {
      // The parse workers close after the webhooks: a read they cut short at shutdown is no failure.
      if (closed) return;
      return failed(head, 0, `the message could not be read (${error instanceof Error ? error.message : String(error)})`);
    }
    const result = await sender.send(body);
    if (result.kind === 'delivered') count('delivered');
    else if (result.kind === 'failed') failed(head, result.attempts, `the receiver ${result.reason}`);
  }

  async function summaryOf(head: MessageHead) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await summaries.of(head);
      } catch (error) {
        if (!(error instanceof WorkersBusyError) || attempt === BUSY_ATTEMPTS || closed) throw error;
        await sender.pause(BUSY_PAUSE_MS * attempt);
      }
    }
  }

  function failed(head: MessageHead, attempts: number, reason: string): void {
    count('failed');
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    log.warn({ event: 'webhook_failed', id: head.id, attempts }, `The webhook for message ${head.id} was not delivered after ${tries}: ${reason}.`);
  }

  return {
    notify: (head) => queue.push(head),
    close() {
      closed = true;
      queue.close();
      sender.close();
    },
  };
}
