import type { MessageDigest, MessageHead, MessageSummary, NewMessage } from './message.js';
import { createMessageId } from './message-id.js';

/**
 * The heads a delivery gets, one per recipient inbox, each with its own id;
 * every store builds them here so all backends agree on them.
 */
export function newHeads(message: NewMessage, now: number, ttlMs: number): MessageHead[] {
  return message.recipients.map(({ inbox, tag }) => ({
    id: createMessageId(now),
    inbox,
    tag,
    receivedAt: now,
    expiresAt: now + ttlMs,
    size: message.raw.length,
  }));
}

/** A copy's summary once its delivery's digest is known. */
export function summaryOf(head: MessageHead, digest: MessageDigest): MessageSummary {
  return { ...digest, ...head };
}
