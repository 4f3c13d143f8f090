import { LRUCache } from 'lru-cache';
import type { MessageHead, Store, StoredMessage } from '../../store/store.js';
import { StoreUnavailableError } from '../../store/store.js';
import { digestMessage, summaryOf, type MessageDigest, type MessageSummary } from './digest.js';
import type { MessageReader } from './reader.js';

/** Options of the summary service. */
export interface SummariesOptions {
  store: Pick<Store, 'list' | 'get' | 'subscribe'>;
  /** Reads the digest of raw bytes (in a parse worker). */
  readDigest: (raw: Buffer) => Promise<MessageDigest>;
  /** A full parse this reader already has, or has under way, serves as the digest too. */
  reader: MessageReader;
  /** Bytes of digests kept for the next listing. */
  cacheBytes: number;
}

/** Messages as lists, live events and waits show them: heads from the store with their digests. */
export interface Summaries {
  /** Live messages of an inbox, newest first. Rejects with StoreUnavailableError when a digest cannot be read. */
  list(inbox: string): Promise<MessageSummary[]>;
  /** The summary of a message just announced; undefined once it has gone. */
  of(head: MessageHead): Promise<MessageSummary | undefined>;
  /** The summary of a stored message. */
  read(stored: StoredMessage): Promise<MessageSummary>;
}

// A first listing of much unread mail reads this many digests at a time, so
// that readers' full parses are not queued behind all of them in the parse workers.
const LIST_READS_AT_ONCE = 4;
// Object headers and the fixed fields of a digest, besides its strings.
const DIGEST_FIXED_BYTES = 200;

/**
 * Most caught mail is never read, so nothing is read from a message when it
 * is stored: its digest is read the first time a listing, a live feed or a
 * wait needs it, once however many ask at the same moment, and kept in a
 * bounded cache. A removed message's digest leaves with it.
 */
export function createSummaries({ store, readDigest, reader, cacheBytes }: SummariesOptions): Summaries {
  const cache = new LRUCache<string, MessageDigest>({ maxSize: cacheBytes, sizeCalculation: digestBytes });
  const reading = new Map<string, Promise<MessageDigest>>();
  store.subscribe((event) => {
    if (event.type !== 'message') cache.delete(event.id);
  });

  function digestOf(stored: StoredMessage): Promise<MessageDigest> {
    const { id } = stored.head;
    const known = cache.get(id) ?? reading.get(id);
    if (known !== undefined) return Promise.resolve(known);
    const parsing = reader.peek(id);
    const read = parsing === undefined ? readDigest(stored.raw) : parsing.then(digestMessage);
    reading.set(id, read);
    read.then((digest) => cache.set(id, digest), () => {}).finally(() => reading.delete(id));
    return read;
  }

  async function read(stored: StoredMessage): Promise<MessageSummary> {
    try {
      return summaryOf(stored.head, await digestOf(stored));
    } catch (error) {
      throw new StoreUnavailableError('This message could not be read just now; try again.', { cause: error });
    }
  }

  async function of(head: MessageHead): Promise<MessageSummary | undefined> {
    const digest = cache.get(head.id) ?? await reading.get(head.id);
    if (digest !== undefined) return summaryOf(head, digest);
    const stored = await store.get(head.inbox, head.id);
    return stored === undefined ? undefined : read(stored);
  }

  return {
    async list(inbox) {
      const heads = await store.list(inbox);
      const summaries: MessageSummary[] = [];
      for (let start = 0; start < heads.length; start += LIST_READS_AT_ONCE) {
        const batch = await Promise.all(heads.slice(start, start + LIST_READS_AT_ONCE).map(of));
        for (const summary of batch) if (summary !== undefined) summaries.push(summary);
      }
      return summaries;
    },
    of,
    read,
  };
}

function digestBytes(digest: MessageDigest): number {
  let characters = digest.subject.length + digest.preview.length + (digest.from?.name.length ?? 0) + (digest.from?.address.length ?? 0);
  for (const mailbox of digest.to) characters += mailbox.name.length + mailbox.address.length;
  for (const code of digest.codes) characters += code.length;
  return DIGEST_FIXED_BYTES + characters * 2;
}
