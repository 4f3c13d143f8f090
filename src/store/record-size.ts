import type { Envelope, MessageHead } from './message.js';
import type { RawBytes } from './raw-bytes.js';

// Object headers, hidden classes, map and cache slots per record, measured
// roughly with heap snapshots; strings are counted separately below.
const FIXED_RECORD_BYTES = 600;
// A Buffer, its ArrayBuffer and its allocation, with the few spare bytes a kept chunk may hold:
// 4 KB chunks took about 11% more RSS than one Buffer of the same bytes, some 460 bytes each.
const CHUNK_BYTES = 512;

/**
 * Bytes the raw message holds besides its own: nothing for one Buffer, the
 * objects of every chunk beyond the first for a message kept as it arrived.
 */
export function chunkOverhead(raw: RawBytes): number {
  return Buffer.isBuffer(raw) || raw.length === 0 ? 0 : (raw.length - 1) * CHUNK_BYTES;
}

/**
 * Bytes one stored record holds besides the raw message: the strings of its
 * head and envelope, session included (UTF-16, two bytes a character), and a
 * fixed cost for the objects. The raw bytes are counted once per blob by the
 * store, since recipients share them.
 */
export function recordOverhead(head: MessageHead, envelope: Envelope): number {
  // Summed in place: this runs for every message stored, and an array of the strings would be garbage at once.
  let ownCharacters = head.id.length + head.inbox.length + (head.tag?.length ?? 0) + (envelope.mailFrom?.length ?? 0);
  for (const recipient of envelope.rcptTo) ownCharacters += recipient.length;
  if (envelope.session !== undefined) ownCharacters += envelope.session.clientIp.length + envelope.session.helo.length;
  return FIXED_RECORD_BYTES + ownCharacters * 2;
}
