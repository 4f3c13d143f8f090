import type { RawBytes } from '../store/raw-bytes.js';

// Fewer, larger chunks than this are kept as they came: each is an object of its own, which
// the store does not count, so a message trickled in tiny reads is joined instead.
const SMALLEST_KEPT_CHUNK = 4_096;
// The final dot, and a few bytes smtp-server holds back while it looks for it, share a read with the message.
const SPARE_BYTES_KEPT = 64;

/**
 * A message's DATA chunks, kept as they came where that holds about the bytes
 * the store counts, so a message of several reads is not copied once more:
 * each chunk is then a view of one whole socket read. Chunks cut out of a
 * larger buffer (around a dot-stuffed line, or from Node's shared pool for
 * small reads) would hold more than they count, so such a message is joined
 * into one Buffer, as is one that came in many tiny reads.
 */
export function asArrived(chunks: Buffer[], size: number): RawBytes {
  const [first] = chunks;
  const fewEnough = chunks.length <= 1 + size / SMALLEST_KEPT_CHUNK;
  if (first === undefined || !fewEnough || chunks.some(holdsMoreThanItself)) return Buffer.concat(chunks, size);
  return chunks.length === 1 ? first : chunks;
}

function holdsMoreThanItself(chunk: Buffer): boolean {
  return chunk.buffer.byteLength - chunk.length > SPARE_BYTES_KEPT;
}
