/**
 * Joins chunks into one Buffer over a SharedArrayBuffer. A worker thread
 * (src/worker/pool.ts) then reads the message where it lies: a Buffer over
 * ordinary memory is copied into the worker on every job, serialised and
 * deserialised, which cost the SMTP thread 13-16% of its time at 200 KB
 * (BENCHMARKS.md) and left a garbage copy in each worker's heap.
 */
export function joinShared(chunks: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const joined = Buffer.from(new SharedArrayBuffer(length));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * A view over `bytes` that web APIs accept: a Response body may not be
 * shared memory, so shared bytes are copied first.
 */
export function unsharedView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof SharedArrayBuffer) return new Uint8Array(bytes);
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}
