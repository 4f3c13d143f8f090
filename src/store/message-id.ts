import { randomFillSync } from 'node:crypto';

// Crockford's base32 in lower case: no i, l, o or u, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;
const ID_CHARS = 26;
// Random bytes drawn from the system's generator at a time: one call per 400 ids
// instead of one per id (what randomUUID does inside, for the same reason).
const POOL_BYTES = RANDOM_BYTES * 400;

/** Makes message ids; see `createMessageIds`. */
export type MessageIdSource = (now: number) => string;

/**
 * A source of message ids: 10 characters of receive time (so ids sort by
 * age) followed by 80 random bits from the system's cryptographic generator,
 * so an id cannot be guessed even by someone who knows when the message arrived.
 */
export function createMessageIds(): MessageIdSource {
  const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
  let used = POOL_BYTES;
  // Written a character at a time, then read as one string: a string grown by
  // concatenation is a chain of pieces, each garbage once the id is used as a key.
  const id = Buffer.allocUnsafeSlow(ID_CHARS);
  return (now) => {
    if (used === POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    writeTime(id, now);
    writeRandom(id, pool, used);
    used += RANDOM_BYTES;
    return id.toString('latin1');
  };
}

function writeTime(id: Buffer, now: number): void {
  let remaining = Math.max(0, Math.floor(now));
  for (let at = TIME_CHARS - 1; at >= 0; at--) {
    id[at] = ALPHABET.charCodeAt(remaining % 32);
    remaining = Math.floor(remaining / 32);
  }
}

// 10 bytes = 80 bits = exactly 16 base32 characters.
function writeRandom(id: Buffer, pool: Buffer, from: number): void {
  let bits = 0;
  let value = 0;
  let at = TIME_CHARS;
  for (let read = from; read < from + RANDOM_BYTES; read++) {
    value = (value << 8) | (pool[read] ?? 0);
    bits += 8;
    while (bits >= 5) {
      id[at++] = ALPHABET.charCodeAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
}

/** True when `text` has the shape of a message id. */
export function isMessageId(text: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(text);
}

/** The receive time written at the start of a message id. */
export function messageIdTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, TIME_CHARS)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}
