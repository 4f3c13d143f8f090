import type { MessageHead, MessageSummary, NewMessage, StoredMessage } from './message.js';

export type { Envelope, MailboxAddress, MessageDigest, MessageHead, MessageSummary, NewMessage, StoredMessage } from './message.js';

/** Why a message left its inbox. */
export type RemovalReason = 'deleted' | 'expired' | 'evicted';

/** What happened in the store; the hub fans these out to readers. */
export type StoreEvent =
  | { type: 'message'; inbox: string; message: MessageSummary }
  | { type: RemovalReason; inbox: string; id: string };

export type StoreListener = (event: StoreEvent) => void;

/** Counts that operations and benchmarks read. */
export interface StoreStats {
  messages: number;
  /** Bytes of mail held: raw bytes once per stored blob plus each record's own fields. */
  bytes: number;
}

/**
 * Where messages live. Every method is async so a networked backend can
 * satisfy the same contract; every implementation passes the shared suite in
 * test/store/store-contract.ts.
 *
 * Reading never extends a message's life. Removal of any kind emits an event.
 * Summaries that leave a store are always complete, but a store may read a
 * message's digest only when it is first needed: a store that does (the
 * memory store) announces a new message with a `message` event only in the
 * inboxes someone watches, since a reader who comes later lists the inbox.
 */
export interface Store {
  /**
   * Stores one copy per recipient inbox and resolves once readers can see
   * them and their `message` events, where there are any, have gone out.
   */
  add(message: NewMessage): Promise<MessageHead[]>;
  /** Live messages of an inbox, newest first. */
  list(inbox: string): Promise<MessageSummary[]>;
  /** One message, only when `id` belongs to `inbox`. */
  get(inbox: string, id: string): Promise<StoredMessage | undefined>;
  delete(inbox: string, id: string): Promise<boolean>;
  /** Empties an inbox; resolves to how many messages it held. */
  deleteInbox(inbox: string): Promise<number>;
  /** Listens to every event of every inbox; returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** Thrown when a store cannot take or give messages right now (full, or its backend is down). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
