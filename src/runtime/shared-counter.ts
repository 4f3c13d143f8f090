import type { SlotGrant } from './client-slots.js';

/** A token bucket: `burst` tokens at most, refilled at `perMinute`. */
export interface BucketSettings {
  perMinute: number;
  burst: number;
}

/** Whether a token was there; when not, how long until one will be, in whole seconds. */
export type TokenDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Per-client limits counted across every instance of a deployment (in Redis:
 * src/shared-limits/). Each limit is also counted in this process, every
 * token and slot the shared count grants included, so the process decides
 * alone, from what it already counted, while the shared count cannot be
 * reached; nothing here ever waits long or refuses because the count is away.
 */
export interface SharedCounter {
  /** Takes one token of `client`'s bucket named `budget`; null when it cannot be counted now, so the caller counts here. */
  takeToken(budget: string, client: string, bucket: BucketSettings): Promise<TokenDecision | null>;
  /**
   * Takes one of `client`'s slots named `kind`, refused when the client holds
   * `perClient` on all instances together. While the count cannot be reached
   * the slot is granted (the caller's own count decides) and carried into the
   * count once it is back.
   */
  takeSlot(kind: string, client: string, perClient: number): Promise<SlotGrant>;
}
