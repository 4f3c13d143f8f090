import { randomBytes } from 'node:crypto';
import type { MessageHead, NewMessage } from '../message.js';
import type { StoreEvent } from '../store.js';

// What Redis spends on one inbox copy besides its JSON strings: the message
// hash with its key and TTL, and entries in the index hash and in the inbox,
// arrival and expiry sorted sets. Calibrated so that the budget matches
// INFO used_memory growth for 10 KB messages on Redis 7 within a few per cent
// (test/bench/redis-memory.ts; figures in docs/deployment.md), plus 100 bytes
// for the entry in its sender's sorted set, estimated like the others, not measured.
const FIXED_COPY_BYTES = 1_200;
// The raw bytes' key, its TTL and its entry in the refs hash.
const FIXED_BLOB_BYTES = 150;
// A Redis string's header and terminator around the bytes themselves.
const STRING_HEADER_BYTES = 16;

/** One inbox copy as the add script receives it. */
export interface CopyRecord {
  head: MessageHead;
  /** Bytes counted against the budget for this copy; the raw bytes are counted once per blob. */
  cost: number;
  /** The add script's RECORD_FIELDS values for this copy. */
  args: string[];
}

/** The limits the add script applies; see RedisStoreOptions. */
export interface AddLimits {
  inboxLimit: number;
  memoryLimit: number;
  memoryShare: number | null;
  backstopMs: number;
}

/** Everything the add script needs for one delivery. */
export interface AddPlan {
  blob: string;
  copies: CopyRecord[];
  /** Bytes this delivery adds to the budget in all. */
  needed: number;
  /** ARGV after the prefix. */
  args: Array<string | number | Buffer>;
}

/**
 * Builds the script arguments for a delivery. The head is stored per inbox
 * copy, so listing an inbox never reads raw bytes; the raw bytes go once into
 * a blob key that counts its references.
 */
export function planAdd(message: NewMessage & { raw: Buffer }, heads: MessageHead[], now: number, limits: AddLimits): AddPlan {
  const blob = randomBytes(12).toString('base64url');
  const { sender } = message;
  // The intake session rides in the envelope's JSON; copies stored before it parse as envelopes without one.
  const envelope = JSON.stringify(message.envelope);
  const rawCost = allocationSize(message.raw.length + STRING_HEADER_BYTES) + FIXED_BLOB_BYTES;
  const copies = heads.map((head): CopyRecord => {
    const { inbox } = head;
    const headJson = JSON.stringify(head);
    const partial = { inbox, blob, blobCost: rawCost, sender };
    const cost = FIXED_COPY_BYTES + byteLength(headJson) + byteLength(envelope) + byteLength(JSON.stringify(partial)) + 2 * head.id.length;
    const meta = JSON.stringify({ ...partial, cost });
    const event: StoreEvent = { type: 'message', inbox, message: head };
    return { head, cost, args: [head.id, inbox, String(head.expiresAt), String(cost), headJson, meta, JSON.stringify(event)] };
  });
  const needed = rawCost + copies.reduce((sum, copy) => sum + copy.cost, 0);
  const args: Array<string | number | Buffer> = [
    now, limits.inboxLimit, limits.memoryLimit, limits.memoryShare ?? '', limits.backstopMs,
    blob, message.raw, rawCost, envelope, sender, needed, copies.length,
    ...copies.flatMap((copy) => copy.args),
  ];
  return { blob, copies, needed, args };
}

/**
 * What the allocator really hands out for `bytes`: jemalloc (Redis's default)
 * rounds up to one of four size classes per power of two, so a 10 KB message
 * takes 12 KB. Counting that keeps the budget honest about Redis memory.
 */
function allocationSize(bytes: number): number {
  if (bytes <= 16) return 16;
  const power = Math.floor(Math.log2(bytes - 1));
  const step = 2 ** Math.max(power - 2, 3);
  return Math.ceil(bytes / step) * step;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A head from the JSON a copy keeps in Redis, field by field: a copy stored
 * by Ephemail 0.1 keeps it inside its summary, with digest fields beside it
 * that are read afresh now.
 */
export function headFromJson(json: string): MessageHead {
  const { id, inbox, tag, receivedAt, expiresAt, size } = JSON.parse(json) as MessageHead;
  return { id, inbox, tag, receivedAt, expiresAt, size };
}
