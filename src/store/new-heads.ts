import type { MessageHead, NewMessage } from './message.js';
import { createMessageIds } from './message-id.js';
import { rawLength } from './raw-bytes.js';

/** Makes the heads of a delivery received at `now`. */
export type HeadMaker = (message: NewMessage, now: number) => MessageHead[];

/**
 * Makes the heads a delivery gets, one per recipient inbox, each with its
 * own id; every store builds them here so all backends agree on them.
 */
export function createHeadMaker(ttlMs: number): HeadMaker {
  const newId = createMessageIds();
  return (message, now) => {
    const size = rawLength(message.raw);
    return message.recipients.map(({ inbox, tag }) => ({ id: newId(now), inbox, tag, receivedAt: now, expiresAt: now + ttlMs, size }));
  };
}
