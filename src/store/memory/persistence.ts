import type { Envelope, MessageHead } from '../message.js';
import type { RawBytes } from '../raw-bytes.js';
import type { Delivery } from './delivery.js';

/**
 * What the memory store offers a data directory (src/store/disk/): it tells
 * a journal of every copy it keeps or lets go, in the order it happens, and
 * takes back at start-up the copies kept before a restart.
 */
export interface CopyJournal {
  /** A copy was stored; `firstCopy` when its delivery had no stored copy before, so its bytes are new too. */
  stored(head: MessageHead, delivery: Delivery, firstCopy: boolean): void;
  /** A copy left the store, for whatever reason; `lastCopy` when its delivery has no stored copy left. */
  removed(head: MessageHead, delivery: Delivery, lastCopy: boolean): void;
}

/** A delivery kept before a restart, with the heads of its copies still stored then. */
export interface RestoredDelivery {
  /** What the journal filed it under (`Delivery.key`). */
  key: string;
  envelope: Envelope;
  sender: string;
  raw: RawBytes;
  heads: MessageHead[];
}
