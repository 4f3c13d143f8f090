import type { MessageSummary, NewMessage } from './message.js';
import { createMessageId } from './message-id.js';

/**
 * The summaries a delivery gets, one per recipient inbox, each with its own
 * id; every store builds them here so all backends agree on them.
 */
export function newSummaries(message: NewMessage, now: number, ttlMs: number): MessageSummary[] {
  return message.recipients.map(({ inbox, tag }) => ({
    ...message.digest,
    id: createMessageId(now),
    inbox,
    tag,
    receivedAt: now,
    expiresAt: now + ttlMs,
    size: message.raw.length,
  }));
}
