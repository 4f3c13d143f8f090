import type { MessageDigest } from './message.js';

/**
 * One delivery's digest, read the first time any of its inbox copies needs
 * it and then shared by all of them. A read that rejects is not kept, so the
 * next need tries again.
 */
export function sharedDigest(read: () => Promise<MessageDigest>): () => Promise<MessageDigest> {
  let reading: Promise<MessageDigest> | null = null;
  return () => {
    reading ??= read().catch((error: unknown) => {
      reading = null;
      throw error;
    });
    return reading;
  };
}
