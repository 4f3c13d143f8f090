import type { Envelope, NewMessage } from '../message.js';
import { joinRaw, rawLength, type RawBytes } from '../raw-bytes.js';
import { chunkOverhead } from '../record-size.js';

/**
 * What the inbox copies of one delivery share in the memory store. Plain
 * fields rather than closures: a full store holds one per message, and every
 * object in it is work for each garbage collection.
 */
export interface Delivery {
  /** The id of its first copy: what a data directory files its bytes under (src/store/disk/). */
  readonly key: string;
  readonly envelope: Envelope;
  /** The sender's key, which its copies count against. */
  readonly sender: string;
  /** As it arrived until first read, then joined into one Buffer, which replaces the chunks. */
  raw: RawBytes;
  /**
   * What `raw` counts against the budget while a copy is stored: its bytes and
   * the objects of its chunks. Not lowered once they are joined, which holds less.
   */
  readonly counted: number;
  /** Copies still stored. */
  storedCopies: number;
}

/** The delivery of `message` filed under `key`, with no copy stored yet. */
export function newDelivery(message: Pick<NewMessage, 'envelope' | 'sender' | 'raw'>, key: string): Delivery {
  const { envelope, sender, raw } = message;
  return { key, envelope, sender, raw, counted: rawLength(raw) + chunkOverhead(raw), storedCopies: 0 };
}

/** The delivery's bytes as one Buffer, joined the first time anyone reads them. */
export function rawOf(delivery: Delivery): Buffer {
  const joined = joinRaw(delivery.raw);
  delivery.raw = joined;
  return joined;
}
