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
  /** Bytes of summaries kept for the next listing. */
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
// Object headers and the fixed fields of a summary, besides its strings.
const SUMMARY_FIXED_BYTES = 250;

/**
 * Most caught mail is never read, so nothing is read from a message when it
 * is stored: its digest is read the first time a listing, a live feed or a
 * wait needs it, once however many ask at the same moment, and kept in a
 * bounded cache. A removed message's digest leaves with it.
 */
export function createSummaries({ store, readDigest, reader, cacheBytes }: SummariesOptions): Summaries {
  // Summaries, not digests, are kept: a head never changes, and a listing then builds nothing.
  const cache = new LRUCache<string, MessageSummary>({ maxSize: cacheBytes, sizeCalculation: summaryBytes });
  const reading = new Map<string, Promise<MessageSummary>>();
  store.subscribe((event) => {
    if (event.type !== 'message') cache.delete(event.id);
  });

  function summaryFor(stored: StoredMessage): Promise<MessageSummary> {
    const { head } = stored;
    const known = cache.get(head.id) ?? reading.get(head.id);
    if (known !== undefined) return Promise.resolve(known);
    const parsing = reader.peek(head.id);
    const digest = parsing === undefined ? readDigest(stored.raw) : parsing.then(digestMessage);
    const summary = digest.then((read) => summaryOf(head, read));
    reading.set(head.id, summary);
    summary.then((read) => cache.set(head.id, read), () => {}).finally(() => reading.delete(head.id));
    return summary;
  }

  async function read(stored: StoredMessage): Promise<MessageSummary> {
    try {
      return await summaryFor(stored);
    } catch (error) {
      throw new StoreUnavailableError('This message could not be read just now; try again.', { cause: error });
    }
  }

  async function of(head: MessageHead): Promise<MessageSummary | undefined> {
    const known = cache.get(head.id) ?? await reading.get(head.id);
    if (known !== undefined) return known;
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

function summaryBytes(summary: MessageSummary): number {
  let characters = summary.id.length + summary.inbox.length + (summary.tag?.length ?? 0) + summary.subject.length + summary.preview.length
    + (summary.from?.name.length ?? 0) + (summary.from?.address.length ?? 0);
  for (const mailbox of summary.to) characters += mailbox.name.length + mailbox.address.length;
  for (const code of summary.codes) characters += code.length;
  return SUMMARY_FIXED_BYTES + characters * 2;
}
