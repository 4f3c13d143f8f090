import { LRUCache } from 'lru-cache';
import type { StoredMessage } from '../store/message.js';
import type { ParsedMessage } from './parse.js';

/** Options of the message reader. */
export interface MessageReaderOptions {
  parse: (raw: Buffer) => Promise<ParsedMessage>;
  /** Bytes of parsed messages kept for repeated reads. */
  cacheBytes: number;
}

/** Reads stored messages in full. */
export interface MessageReader {
  read(message: StoredMessage): Promise<ParsedMessage>;
}

/**
 * The store keeps raw bytes and a digest; the full parse is made again when
 * someone reads a message, and kept in a small cache because a reader opens
 * the same message several times in a row (details, HTML, images).
 */
export function createMessageReader({ parse, cacheBytes }: MessageReaderOptions): MessageReader {
  const cache = new LRUCache<string, ParsedMessage>({
    maxSize: cacheBytes,
    sizeCalculation: (parsed) => Math.max(1, parsedSize(parsed)),
  });
  const pending = new Map<string, Promise<ParsedMessage>>();

  return {
    async read(message) {
      const key = message.summary.id;
      const cached = cache.get(key) ?? pending.get(key);
      if (cached !== undefined) return cached;
      const parsing = parse(message.raw).finally(() => pending.delete(key));
      pending.set(key, parsing);
      const parsed = await parsing;
      cache.set(key, parsed);
      return parsed;
    },
  };
}

function parsedSize(parsed: ParsedMessage): number {
  const attachmentBytes = parsed.attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  return (parsed.text.length + (parsed.html?.length ?? 0)) * 2 + attachmentBytes + 1_000;
}
