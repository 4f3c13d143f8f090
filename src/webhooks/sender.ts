import { randomUUID } from 'node:crypto';
import type { Clock } from '../runtime/clock.js';
import { signatureOf } from './signature.js';

/** Options of the webhook sender. */
export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** Times each attempt and the pauses between them, so tests move time instead of sleeping. */
  clock: Clock;
  /** Told each time a failed attempt is to be tried again. */
  onRetry: () => void;
}

/** How one webhook ended: delivered, given up on with the last reason, or abandoned by close(). */
export type DeliveryResult =
  | { kind: 'delivered' }
  | { kind: 'failed'; attempts: number; reason: string }
  | { kind: 'abandoned' };

/** Posts signed bodies to the operator's URL. */
export interface WebhookSender {
  /** Posts `body`, trying again after network errors, timeouts, 429 and 5xx; never rejects. */
  send(body: string): Promise<DeliveryResult>;
  /** Resolves after `ms` on the clock, or at once once the sender is closed. */
  pause(ms: number): Promise<void>;
  /** Aborts every request and pause under way; their sends, and any later one, resolve as abandoned without posting. */
  close(): void;
}

// A receiver that has not answered by then is taken as down; the attempt is tried again.
const ATTEMPT_TIMEOUT_MS = 10_000;
const ATTEMPTS = 5;
// Pauses of 1, 2, 4 and 8 s between the five attempts: some 15 s for a receiver to come back.
const FIRST_PAUSE_MS = 1_000;

/** Why one attempt failed, and whether another might succeed. */
interface AttemptFailure {
  retry: boolean;
  reason: string;
}

/**
 * Posts each body with its signature and one delivery id, kept across
 * retries so that a receiver can tell a retry from a new message. Redirects
 * are not followed: only the operator chooses where the server connects, and
 * a receiver must not steer it to another host.
 */
export function createWebhookSender({ url, secret, clock, onRetry }: WebhookSenderOptions): WebhookSender {
  const closing = new AbortController();

  async function attempt(body: string, headers: Record<string, string>): Promise<AttemptFailure | null> {
    // One signal for both ends of an attempt; AbortSignal.any would tie every attempt to the long-lived closing signal.
    const request = new AbortController();
    const abort = () => request.abort();
    const cancelTimeout = clock.schedule(ATTEMPT_TIMEOUT_MS, abort);
    closing.signal.addEventListener('abort', abort);
    try {
      const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: request.signal });
      // Nothing in the answer is read; cancelling frees the connection at once.
      await response.body?.cancel();
      if (response.ok) return null;
      if (response.status >= 300 && response.status < 400) return { retry: false, reason: `answered ${response.status}, a redirect, which is not followed` };
      return { retry: response.status === 429 || response.status >= 500, reason: `answered ${response.status}` };
    } catch (error) {
      if (request.signal.aborted) return { retry: true, reason: `did not answer within ${ATTEMPT_TIMEOUT_MS / 1_000} s` };
      return { retry: true, reason: `could not be reached (${networkReason(error)})` };
    } finally {
      cancelTimeout();
      closing.signal.removeEventListener('abort', abort);
    }
  }

  /** Resolves after `ms` on the clock, or at once when the sender closes. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        cancel();
        closing.signal.removeEventListener('abort', done);
        resolve();
      };
      const cancel = clock.schedule(ms, done);
      closing.signal.addEventListener('abort', done);
    });
  }

  return {
    async send(body) {
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': 'Ephemail',
        'X-Ephemail-Delivery': randomUUID(),
        'X-Ephemail-Signature': signatureOf(body, secret),
      };
      for (let attempts = 1; !closing.signal.aborted; attempts++) {
        const failure = await attempt(body, headers);
        if (closing.signal.aborted) break;
        if (failure === null) return { kind: 'delivered' };
        if (!failure.retry || attempts === ATTEMPTS) return { kind: 'failed', attempts, reason: failure.reason };
        onRetry();
        await pause(FIRST_PAUSE_MS * 2 ** (attempts - 1));
      }
      return { kind: 'abandoned' };
    },
    pause,
    close: () => closing.abort(),
  };
}

/** The system's code for a failed connection (ECONNREFUSED, ENOTFOUND…), which fetch hides in its cause. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined;
  return code ?? (error instanceof Error ? error.message : String(error));
}
