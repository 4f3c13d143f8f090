/**
 * A message's bytes as they arrived: one Buffer, or the chunks of its DATA
 * in order. Intake hands over the chunks of a message that came in several
 * reads as they are, so storing it copies nothing; the bytes are joined when
 * someone reads them, which for most mail caught in bulk is never.
 */
export type RawBytes = Buffer | readonly Buffer[];

/** The number of bytes in all. */
export function rawLength(raw: RawBytes): number {
  if (Buffer.isBuffer(raw)) return raw.length;
  let length = 0;
  for (const chunk of raw) length += chunk.length;
  return length;
}

/** The bytes as one Buffer: the Buffer itself, or the chunks copied into one. */
export function joinRaw(raw: RawBytes): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.concat(raw);
}
