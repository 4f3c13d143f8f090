import { digestMessage } from './mail/digest.js';
import type { ParsedMessage } from './mail/parse.js';
import type { Deliver } from './smtp/server.js';
import type { Store } from './store/store.js';

/** What intake needs: somewhere to store, and a parser (in-process or a worker pool). */
export interface IntakeOptions {
  store: Store;
  parse: (raw: Buffer) => Promise<ParsedMessage>;
}

/**
 * The path from accepted bytes to stored message: parse once, keep the digest
 * and the raw bytes. The store then tells the hub, which tells readers.
 */
export function createIntake({ store, parse }: IntakeOptions): Deliver {
  return async (envelope, raw, recipients) => {
    const parsed = await parse(raw);
    return store.add({ envelope, raw, digest: digestMessage(parsed), recipients });
  };
}
