import type { RawBytes } from '../store/raw-bytes.js';

// Fewer, larger chunks than this are kept as they came: each is an object of its own, so a
// message trickled in tiny reads is joined instead of being stored as thousands of them.
const SMALLEST_KEPT_CHUNK = 4_096;
// The final dot, and a few bytes smtp-server holds back while it looks for it, share a read with the message.
const SPARE_BYTES_KEPT = 64;

/**
 * A message's DATA chunks, kept as they came so that a message of several
 * reads is not copied once more: most are views of about a whole socket read
 * (or of smtp-server's join of the 4 bytes it held back with the next read).
 * A chunk cut out of a larger buffer (around a dot-stuffed line, or from
 * Node's shared pool, as a short last read is) would hold more than it
 * counts, so that chunk alone is copied. A message that came in many tiny
 * reads is joined into one Buffer, as is one of a single loose chunk.
 */
export function asArrived(chunks: Buffer[], size: number): RawBytes {
  const [first] = chunks;
  const fewEnough = chunks.length <= 1 + size / SMALLEST_KEPT_CHUNK;
  if (first === undefined || !fewEnough) return Buffer.concat(chunks, size);
  if (chunks.length === 1) return holdsMoreThanItself(first) ? Buffer.concat(chunks, size) : first;
  return chunks.map((chunk) => (holdsMoreThanItself(chunk) ? copyOnItsOwn(chunk) : chunk));
}

function holdsMoreThanItself(chunk: Buffer): boolean {
  return chunk.buffer.byteLength - chunk.length > SPARE_BYTES_KEPT;
}

// Not Buffer.from: a short copy would come from the shared pool again.
function copyOnItsOwn(chunk: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(chunk.length);
  chunk.copy(copy);
  return copy;
}
