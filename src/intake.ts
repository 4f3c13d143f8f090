import type { Deliver } from './smtp/server.js';
import type { MessageDigest } from './store/message.js';
import type { Store } from './store/store.js';

/** What intake needs: somewhere to store, and a digester (the parse pool, or in-process in tests). */
export interface IntakeOptions {
  store: Store;
  digest: (raw: Buffer) => Promise<MessageDigest>;
}

/**
 * The path from accepted bytes to stored message. The store keeps the raw
 * bytes and decides when the digest is read: the memory store reads it at
 * once only where someone watches. The store then tells the hub, which tells readers.
 */
export function createIntake({ store, digest }: IntakeOptions): Deliver {
  return (envelope, raw, recipients) => store.add({ envelope, raw, recipients, readDigest: digest });
}
