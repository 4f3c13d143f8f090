import { LRUCache } from 'lru-cache';
import type { StoredMessage } from '../../store/message.js';
import type { ParsedMessage } from '../parse/parse.js';

/** Options of the message reader. */
export interface MessageReaderOptions {
  parse: (raw: Buffer) => Promise<ParsedMessage>;
  /** Bytes of parsed messages kept for repeated reads. */
  cacheBytes: number;
}

/** Reads stored messages in full. */
export interface MessageReader {
  read(message: StoredMessage): Promise<ParsedMessage>;
  /**
   * Takes a parse already under way for the messages with these ids, so
   * their first read awaits it instead of parsing again: intake starts one for
   * a message a client is waiting for, before it can know the ids.
   */
  expect(ids: readonly string[], parsing: Promise<ParsedMessage>): void;
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

  /** Keeps `parsing` for `ids` while it runs, then its result in the cache; a failed one is forgotten. */
  function track(ids: readonly string[], parsing: Promise<ParsedMessage>): void {
    for (const id of ids) pending.set(id, parsing);
    const settle = (parsed: ParsedMessage | null) => {
      for (const id of ids) {
        if (pending.get(id) !== parsing) continue;
        pending.delete(id);
        if (parsed !== null) cache.set(id, parsed);
      }
    };
    parsing.then(settle, () => settle(null));
  }

  return {
    async read(message) {
      const key = message.summary.id;
      const known = cache.get(key) ?? pending.get(key);
      if (known !== undefined) return known;
      const parsing = parse(message.raw);
      track([key], parsing);
      return parsing;
    },
    expect: track,
  };
}

function parsedSize(parsed: ParsedMessage): number {
  const attachmentBytes = parsed.attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  return (parsed.text.length + (parsed.html?.length ?? 0)) * 2 + attachmentBytes + 1_000;
}
