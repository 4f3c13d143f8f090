import type { MessageHead, NewMessage, StoredMessage } from './message.js';

export type { Envelope, IntakeSession, MessageHead, NewMessage, StoredMessage } from './message.js';

/** Why a message left its inbox. */
export type RemovalReason = 'deleted' | 'expired' | 'evicted';

/** What happened in the store; the hub fans these out to readers. */
export type StoreEvent =
  | { type: 'message'; inbox: string; message: MessageHead }
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
 * A store keeps heads, envelopes and raw bytes, and knows nothing of what a
 * message says or of who is reading: every stored copy is announced with a
 * `message` event carrying its head, and removal of any kind emits an event.
 * Reading never extends a message's life.
 *
 * The byte budget is shared fairly. With a share set, a message that would
 * make its sender hold more than the share is refused (OverShareError), and
 * an inbox over the share evicts its own oldest copies. Past the budget, the
 * oldest copy of the sender holding the most bytes is evicted first, so a
 * flood evicts its own mail before anyone else's.
 */
export interface Store {
  /** Stores one copy per recipient inbox and resolves once readers can see them and their `message` events have gone out. */
  add(message: NewMessage): Promise<MessageHead[]>;
  /** Live messages of an inbox, newest first. */
  list(inbox: string): Promise<MessageHead[]>;
  /** One message, only when `id` belongs to `inbox`. */
  get(inbox: string, id: string): Promise<StoredMessage | undefined>;
  delete(inbox: string, id: string): Promise<boolean>;
  /** Empties an inbox; resolves to how many messages it held. */
  deleteInbox(inbox: string): Promise<number>;
  /** Listens to every event of every inbox; returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void;
  stats(): Promise<StoreStats>;
  /** What `sender` holds against its share; null when the store keeps no shares. */
  shareOf(sender: string): Promise<SenderShare | null>;
  /** Present when several instances share this store: a note per stored message that all of them read. */
  notes?: CopyNotes;
  close(): Promise<void>;
}

/**
 * One small opaque note per stored message, kept beside its raw bytes and
 * shared by every copy of them (all recipients of one delivery), so that work
 * one instance did on the bytes is not done again by the others. The store
 * never reads a note; it removes it with the bytes, by the same removal of
 * any kind, and never keeps one longer than them.
 */
export interface CopyNotes {
  /** The note kept for the bytes of copy `id` of `inbox`; undefined when there is none, or that copy is gone or expired. */
  noteOf(inbox: string, id: string): Promise<string | undefined>;
  /** Keeps `note` for the bytes of copy `id` of `inbox`, replacing any; false when that copy is gone or the note is longer than MAX_NOTE_BYTES. */
  keepNote(inbox: string, id: string, note: string): Promise<boolean>;
}

/**
 * The longest note, in UTF-8 bytes. Notes are not counted against the byte
 * budget (reading a message must never evict anyone's mail), so each is kept small.
 */
export const MAX_NOTE_BYTES = 4 * 1024;

/** Bytes one sender holds now, and the most it may hold (its share of the byte budget). */
export interface SenderShare {
  held: number;
  share: number;
}

/** Thrown when a store cannot take or give messages right now (full, or its backend is down). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** Thrown when a message would make its sender hold more than its share; nothing was stored. */
export class OverShareError extends Error {
  override readonly name = 'OverShareError';

  constructor(readonly share: SenderShare) {
    super(`The sender holds ${share.held} bytes, and may hold ${share.share}.`);
  }
}
