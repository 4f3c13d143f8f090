import { StoreUnavailableError, type MessageHead, type Store, type StoredMessage } from '../../store/store.js';
import { summaryOf, type MessageDigest, type MessageSummary } from './digest.js';
import type { DigestShelf } from './digest-shelf.js';
import type { MessageReader } from './reader.js';
import { CancelledError } from '../../runtime/cancellation.js';
import { createWorkCache } from '../../runtime/work-cache.js';
import { WorkersBusyError } from '../../worker/job-queue.js';

/** Options of the summary service. */
export interface SummariesOptions {
  store: Pick<Store, 'list' | 'get' | 'subscribe'>;
  /** Reads the digest of raw bytes (in a parse worker); `signal` aborts when nobody waits for it any more. */
  readDigest: (raw: Buffer, signal: AbortSignal) => Promise<MessageDigest>;
  /** A full parse this reader already has, or has under way, serves as the digest too. */
  reader: MessageReader;
  /** Bytes of summaries kept for the next listing. */
  cacheBytes: number;
  /** Where instances sharing the store keep the digests they read; none for a store of one instance. */
  shelf?: DigestShelf;
  /** Told where each digest this instance needed came from. */
  onDigest?: (source: DigestSource) => void;
}

/**
 * Where a digest came from: read by a parse worker here (`parsed`), taken
 * from a full parse a reader had here (`full_parse`), or from the shelf,
 * kept by whichever instance read it first (`shared`).
 */
export type DigestSource = 'parsed' | 'full_parse' | 'shared';

/** The newest messages of an inbox, and whether it holds older ones too. */
export interface Newest {
  messages: MessageSummary[];
  more: boolean;
}

/** Messages as lists, live events and waits show them: heads from the store with their digests. */
export interface Summaries {
  /**
   * The newest `limit` (by default all) live messages of an inbox, newest
   * first, read as `select` reads them. Rejects with a WorkersBusyError when
   * the parse workers queue no more digests, and with StoreUnavailableError
   * when a digest cannot be read otherwise.
   */
  list(inbox: string, limit?: number, signal?: AbortSignal): Promise<MessageSummary[]>;
  /**
   * The summaries of the newest `limit` heads of an inbox, read as `select`
   * reads them, and whether it holds more heads than that: counted, not
   * read, so the answer costs no digest beyond those shown.
   */
  newest(inbox: string, limit: number, signal?: AbortSignal): Promise<Newest>;
  /**
   * The first `limit` summaries of `heads` (newest first) that `accept`,
   * reading digests only as far as it takes to find them. Once `signal`
   * aborts (whoever asked has gone), it reads no further and resolves with
   * what it has found; a digest it was waiting for is dropped if it has not
   * started and nobody else waits for it.
   */
  select(heads: MessageHead[], accept: (summary: MessageSummary) => boolean, limit: number, signal?: AbortSignal): Promise<MessageSummary[]>;
  /** The summary of a message just announced; undefined once it has gone. */
  of(head: MessageHead): Promise<MessageSummary | undefined>;
  /** The summary of a message already read from the store; undefined when another reader found it gone meanwhile. */
  read(stored: StoredMessage): Promise<MessageSummary | undefined>;
}

// A first listing of much unread mail reads this many digests at a time, so
// that readers' full parses are not queued behind all of them in the parse workers.
const LIST_READS_AT_ONCE = 4;
// Object headers and the fixed fields of a summary, besides its strings.
const SUMMARY_FIXED_BYTES = 250;

/** A message found gone when its summary was to be read: it has no summary, which is no failure. */
class MessageGoneError extends Error {}

/**
 * Most caught mail is never read, so nothing is read from a message when it
 * is stored: its digest is read in a parse worker the first time a listing,
 * a live feed or a wait needs it, once however many ask at the same moment
 * (or taken from a full parse a reader has under way), and its summary is
 * kept in a bounded cache. A removed message's summary leaves with it, even
 * one still being read. With a shelf, a digest another instance has read is
 * taken from it rather than read again, and one read here is put on it
 * unless it is flagged unparsed (isShareable says why).
 */
export function createSummaries({ store, readDigest, reader, cacheBytes, shelf, onDigest }: SummariesOptions): Summaries {
  // Summaries, not digests, are kept: a head never changes, and a listing then builds nothing.
  const summaries = createWorkCache<MessageSummary>({ maxBytes: cacheBytes, sizeOf: summaryBytes });
  store.subscribe((event) => {
    if (event.type !== 'message') summaries.forget(event.id);
  });

  /**
   * The summary of `head`, read once however many ask at the same time, and
   * its digest dropped unstarted once every requester's `signal` has aborted;
   * undefined when `load` finds the message gone.
   */
  async function summaryFor(
    head: MessageHead, load: () => Promise<StoredMessage | undefined>, signal?: AbortSignal,
  ): Promise<MessageSummary | undefined> {
    try {
      return await summaries.get(head.id, (cancel) => readSummary(head, load, cancel), signal);
    } catch (error) {
      if (error instanceof MessageGoneError) return undefined;
      // A full digest lane is the workers being busy, not the store failing (503 server_busy), and a requester that left is owed nothing.
      if (error instanceof WorkersBusyError || error instanceof CancelledError) throw error;
      throw new StoreUnavailableError('This message could not be read just now; try again.', { cause: error });
    }
  }

  async function readSummary(head: MessageHead, load: () => Promise<StoredMessage | undefined>, signal: AbortSignal): Promise<MessageSummary> {
    // Before the bytes are loaded: a shared digest spares moving them from the store too.
    const shared = shelf === undefined ? undefined : await takeShared(shelf, head);
    if (shared !== undefined) return summaryOf(head, shared);
    const stored = await load();
    // Thrown rather than returned, so the work cache keeps nothing for it.
    if (stored === undefined) throw new MessageGoneError();
    const parsing = reader.peek(head.id);
    const digest = parsing === undefined ? await readDigest(stored.raw, signal) : (await parsing).digest;
    onDigest?.(parsing === undefined ? 'parsed' : 'full_parse');
    if (isShareable(digest)) {
      // Awaited, so the digest is on the shelf for the others once this instance shows it. A failure
      // costs the others a read, not this requester its summary (the store logs what is worth a line).
      await shelf?.keep(head, digest).catch(() => {});
    }
    return summaryOf(head, digest);
  }

  /** The digest on `from` for `head`; undefined when there is none, or the shelf cannot be reached (the bytes are read as without one). */
  async function takeShared(from: DigestShelf, head: MessageHead): Promise<MessageDigest | undefined> {
    const digest = await from.take(head).catch(() => undefined);
    if (digest !== undefined) onDigest?.('shared');
    return digest;
  }

  const of = (head: MessageHead, signal?: AbortSignal) => summaryFor(head, () => store.get(head.inbox, head.id), signal);
  const read = (stored: StoredMessage) => summaryFor(stored.head, async () => stored);

  async function select(
    heads: MessageHead[], accept: (summary: MessageSummary) => boolean, limit: number, signal?: AbortSignal,
  ): Promise<MessageSummary[]> {
    const selected: MessageSummary[] = [];
    for (let start = 0; start < heads.length && selected.length < limit && signal?.aborted !== true; start += LIST_READS_AT_ONCE) {
      const batch = await readBatch(heads.slice(start, start + LIST_READS_AT_ONCE), signal);
      for (const summary of batch) if (summary !== undefined && accept(summary)) selected.push(summary);
    }
    return selected.slice(0, limit);
  }

  /** The summaries of `heads`; none once `signal` has aborted while they were read. */
  async function readBatch(heads: MessageHead[], signal?: AbortSignal): Promise<Array<MessageSummary | undefined>> {
    try {
      return await Promise.all(heads.map((head) => of(head, signal)));
    } catch (error) {
      if (error instanceof CancelledError && signal?.aborted === true) return [];
      throw error;
    }
  }

  return {
    list: async (inbox, limit = Infinity, signal) => select(await store.list(inbox), () => true, limit, signal),
    async newest(inbox, limit, signal) {
      const heads = await store.list(inbox);
      return { messages: await select(heads.slice(0, limit), () => true, limit, signal), more: heads.length > limit };
    },
    select,
    of,
    read,
  };
}

/**
 * Whether other instances may show `digest` instead of reading the bytes
 * themselves. A digest flagged unparsed may say only that no worker finished
 * the job here (it overran its time or heap, or the pool was closing at
 * shutdown): shared, it would show the message unparsed on every instance
 * for its whole life. Each instance reads such a message itself, which costs
 * little: such messages are rare, and each instance keeps the summary it read.
 */
function isShareable(digest: MessageDigest): boolean {
  return !digest.parseFailed;
}

function summaryBytes(summary: MessageSummary): number {
  let characters = summary.id.length + summary.inbox.length + (summary.tag?.length ?? 0) + summary.subject.length + summary.preview.length
    + (summary.from?.name.length ?? 0) + (summary.from?.address.length ?? 0);
  for (const mailbox of summary.to) characters += mailbox.name.length + mailbox.address.length;
  for (const code of summary.codes) characters += code.length;
  return SUMMARY_FIXED_BYTES + characters * 2;
}
