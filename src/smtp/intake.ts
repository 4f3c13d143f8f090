import type { MessageReader } from '../mail/read/reader.js';
import type { ParsedMessage } from '../mail/parse/parse.js';
import type { Deliver } from './server.js';
import type { MessageDigest } from '../store/message.js';
import { joinRaw } from '../store/raw-bytes.js';
import type { Store } from '../store/store.js';

/** Reading ahead for waiters: the full parse of a message someone is blocked waiting for. */
export interface ReadAhead {
  /** Whether a client is blocked waiting for the next message of the inbox. */
  isAwaited: (inbox: string) => boolean;
  parse: (raw: Buffer) => Promise<ParsedMessage>;
  reader: MessageReader;
}

/** What intake needs: somewhere to store, and a digester (the parse pool, or in-process in tests). */
export interface IntakeOptions {
  store: Store;
  digest: (raw: Buffer) => Promise<MessageDigest>;
  readAhead?: ReadAhead;
}

/**
 * The path from accepted bytes to stored message. The store keeps the raw
 * bytes and decides when the digest is read: the memory store reads it at
 * once only where someone watches. The store then tells the hub, which tells readers.
 *
 * A client blocked on the wait route reads the message in full as soon as it
 * is announced, and that parse was a second trip to a worker after the
 * digest's: for such an inbox it starts at once, beside the digest, and the
 * reader is handed it for the new ids. The announcement reaches the waiter
 * (deferred by the hub) only after that.
 */
export function createIntake({ store, digest, readAhead }: IntakeOptions): Deliver {
  return async (envelope, raw, recipients) => {
    if (readAhead === undefined || !recipients.some(({ inbox }) => readAhead.isAwaited(inbox))) {
      return store.add({ envelope, raw, recipients, readDigest: digest });
    }
    const joined = joinRaw(raw);
    const storing = store.add({ envelope, raw: joined, recipients, readDigest: digest });
    // Asked for after the digest (which the stores ask for at once), so that with one
    // parse worker the digest, which holds up the "250", does not queue behind it.
    const parsing = readAhead.parse(joined);
    // The reader handles its failure once handed it; nothing would if storing failed first.
    parsing.catch(() => undefined);
    const heads = await storing;
    readAhead.reader.expect(heads.map((head) => head.id), parsing);
    return heads;
  };
}
