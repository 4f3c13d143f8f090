import type { StoredMessage } from '../../store/message.js';
import { createWorkCache } from '../../runtime/work-cache.js';
import type { ReadMessage } from './digest.js';

/** Options of the message reader. */
export interface MessageReaderOptions {
  /** Parses and digests in full, in a parse worker; `signal` aborts when nobody waits for the parse any more. */
  parse: (raw: Buffer, signal: AbortSignal) => Promise<ReadMessage>;
  /** Bytes of parsed messages kept for repeated reads. */
  cacheBytes: number;
}

/** Reads stored messages in full. */
export interface MessageReader {
  /**
   * The full parse of `message`. A reader whose `signal` aborts is answered
   * with a CancelledError at once, and a parse nobody waits for any more is
   * dropped if it has not started.
   */
  read(message: StoredMessage, signal?: AbortSignal): Promise<ReadMessage>;
  /** The parse of a message, when one is cached or under way; never starts one, and keeps one under way going. */
  peek(id: string): Promise<ReadMessage> | undefined;
}

/**
 * The store keeps raw bytes; the full parse is made again when
 * someone reads a message, once however many read it at the same moment, and
 * kept in a small cache because a reader opens the same message several times
 * in a row (details, HTML, images).
 */
export function createMessageReader({ parse, cacheBytes }: MessageReaderOptions): MessageReader {
  const parses = createWorkCache<ReadMessage>({ maxBytes: cacheBytes, sizeOf: parsedSize });
  return {
    read: (message, signal) => parses.get(message.head.id, (cancel) => parse(message.raw, cancel), signal),
    peek: (id) => parses.peek(id),
  };
}

function parsedSize({ parsed }: ReadMessage): number {
  const attachmentBytes = parsed.attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  return (parsed.text.length + (parsed.html?.length ?? 0)) * 2 + attachmentBytes + 1_000;
}
