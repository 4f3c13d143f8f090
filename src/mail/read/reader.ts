import { LRUCache } from 'lru-cache';
import type { StoredMessage } from '../../store/message.js';
import type { ReadMessage } from './digest.js';

/** Options of the message reader. */
export interface MessageReaderOptions {
  /** Parses and digests in full, in a parse worker. */
  parse: (raw: Buffer) => Promise<ReadMessage>;
  /** Bytes of parsed messages kept for repeated reads. */
  cacheBytes: number;
}

/** Reads stored messages in full. */
export interface MessageReader {
  read(message: StoredMessage): Promise<ReadMessage>;
  /** The parse of a message, when one is cached or under way; never starts one. */
  peek(id: string): Promise<ReadMessage> | undefined;
}

/**
 * The store keeps raw bytes; the full parse is made again when
 * someone reads a message, and kept in a small cache because a reader opens
 * the same message several times in a row (details, HTML, images).
 */
export function createMessageReader({ parse, cacheBytes }: MessageReaderOptions): MessageReader {
  const cache = new LRUCache<string, ReadMessage>({
    maxSize: cacheBytes,
    sizeCalculation: (parsed) => Math.max(1, parsedSize(parsed)),
  });
  const pending = new Map<string, Promise<ReadMessage>>();

  function peek(id: string): Promise<ReadMessage> | undefined {
    const parsed = cache.get(id);
    return parsed === undefined ? pending.get(id) : Promise.resolve(parsed);
  }

  return {
    read(message) {
      const { id } = message.head;
      const known = peek(id);
      if (known !== undefined) return known;
      const parsing = parse(message.raw);
      pending.set(id, parsing);
      // A failed parse is forgotten, so the next read tries again.
      parsing.then((parsed) => cache.set(id, parsed), () => {}).finally(() => pending.delete(id));
      return parsing;
    },
    peek,
  };
}

function parsedSize({ parsed }: ReadMessage): number {
  const attachmentBytes = parsed.attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  return (parsed.text.length + (parsed.html?.length ?? 0)) * 2 + attachmentBytes + 1_000;
}
