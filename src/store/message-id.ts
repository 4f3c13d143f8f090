import { randomUUID } from 'node:crypto';

// Crockford's base32 in lower case: no i, l, o or u, so ids survive being read aloud or retyped.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;

/**
 * A message id: 10 characters of receive time (so ids sort by age) followed by
 * 80 random bits from the system's cryptographic generator, so an id cannot be
 * guessed even by someone who knows when the message arrived.
 */
export function createMessageId(now: number): string {
  let time = '';
  let remaining = Math.max(0, Math.floor(now));
  for (let i = 0; i < TIME_CHARS; i++) {
    time = ALPHABET[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  return time + encodeRandom(randomBits());
}

// 80 of a version 4 UUID's 122 random bits (its first 8 and last 12 hex
// digits): Node draws UUIDs from a cached block of the system's
// cryptographic generator, where randomBytes costs a call into it per id.
function randomBits(): Buffer {
  const uuid = randomUUID();
  return Buffer.from(uuid.slice(0, 8) + uuid.slice(24), 'hex');
}

/** True when `text` has the shape of an id made by createMessageId. */
export function isMessageId(text: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(text);
}

/** The receive time written at the start of an id made by createMessageId. */
export function messageIdTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, TIME_CHARS)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

function encodeRandom(bytes: Buffer): string {
  // 10 bytes = 80 bits = exactly 16 base32 characters.
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
