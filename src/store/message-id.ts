import { randomFillSync } from 'node:crypto';

// Crockford's base32 in lower case: no i, l, o or u, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;
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
  return (now) => {
    if (used === POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    const random = encodeRandom(pool, used);
    used += RANDOM_BYTES;
    return encodeTime(now) + random;
  };
}

function encodeTime(now: number): string {
  let time = '';
  let remaining = Math.max(0, Math.floor(now));
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  return time;
}

// 10 bytes = 80 bits = exactly 16 base32 characters.
function encodeRandom(pool: Buffer, from: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (let at = from; at < from + RANDOM_BYTES; at++) {
    value = (value << 8) | (pool[at] ?? 0);
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
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
