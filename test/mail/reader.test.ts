import { describe, expect, it } from 'vitest';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { failedMessage, type ParsedMessage } from '../../src/mail/parse/parse.js';
import type { StoredMessage } from '../../src/store/message.js';
import { makeDigest } from '../support/messages.js';

function stored(id: string): StoredMessage {
  const raw = Buffer.from(`Subject: ${id}\r\n\r\nbody`);
  return {
    summary: { ...makeDigest(), id, inbox: 'a@x.test', tag: null, receivedAt: 0, expiresAt: 1, size: raw.length },
    envelope: { mailFrom: null, rcptTo: ['a@x.test'] },
    raw,
  };
}

function countingReader() {
  const parsed: Buffer[] = [];
  const reader = createMessageReader({
    parse: async (raw) => {
      parsed.push(raw);
      return failedMessage(raw, new Error('not parsed in this test'));
    },
    cacheBytes: 1024 * 1024,
  });
  return { reader, parsed };
}

describe('createMessageReader', () => {
  it('parses a message once for reads in a row, including reads while the first is under way', async () => {
    const { reader, parsed } = countingReader();
    const message = stored('one');
    const [first, second] = await Promise.all([reader.read(message), reader.read(message)]);
    expect(await reader.read(message)).toBe(first);
    expect(second).toBe(first);
    expect(parsed).toHaveLength(1);
  });

  it('takes a parse it was handed for those ids instead of parsing again, and keeps it', async () => {
    const { reader, parsed } = countingReader();
    let finish: (value: ParsedMessage) => void = () => {};
    const ahead = new Promise<ParsedMessage>((resolve) => { finish = resolve; });
    reader.expect(['one', 'two'], ahead);
    const reading = reader.read(stored('two'));
    const result = failedMessage(Buffer.from('x'), new Error('handed over'));
    finish(result);
    expect(await reading).toBe(result);
    expect(await reader.read(stored('one'))).toBe(result);
    expect(parsed).toHaveLength(0);
  });

  it('forgets a handed parse that failed, so the next read parses again', async () => {
    const { reader, parsed } = countingReader();
    const failing = Promise.reject(new Error('the pool is closed'));
    reader.expect(['one'], failing);
    await expect(reader.read(stored('one'))).rejects.toThrow('the pool is closed');
    await reader.read(stored('one'));
    expect(parsed).toHaveLength(1);
  });
});
