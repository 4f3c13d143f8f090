import { Buffer } from 'node:buffer';

// What a kept read may hold beyond the message: its terminator ".\r\n" and a
// pipelined command or two. Past this (several messages in one read) the
// message is copied, so that it does not hold memory the store never counts.
const MOST_EXTRA_BYTES = 1024;

/**
 * The message's bytes as one buffer. Ordinary mail arrives in a single read
 * (all of the benchmark's 10 KB messages did), and that read's own buffer is
 * kept instead of a copy: one allocation and one 10 KB copy less per message.
 */
export function messageBytes(chunks: readonly Buffer[]): Buffer {
  const [only] = chunks;
  if (chunks.length === 1 && only !== undefined && only.buffer.byteLength - only.length <= MOST_EXTRA_BYTES) return only;
  return Buffer.concat(chunks);
}
