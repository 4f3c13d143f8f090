import { describe, expect, it } from 'vitest';
import { createMessageReader } from '../../src/mail/read/reader.js';
import { CancelledError } from '../../src/runtime/cancellation.js';
import { failedMessage } from '../../src/mail/parse/parse.js';
import { digestMessage } from '../../src/mail/read/digest.js';
import type { StoredMessage } from '../../src/store/message.js';

function stored(id: string): StoredMessage {
  const raw = Buffer.from(`Subject: ${id}\r\n\r\nbody`);
  return {
    head: { id, inbox: 'a@x.test', tag: null, receivedAt: 0, expiresAt: 1, size: raw.length },
    envelope: { mailFrom: null, rcptTo: ['a@x.test'] },
    raw,
  };
}

function countingReader(failFirst = false) {
  const parsed: Buffer[] = [];
  const reader = createMessageReader({
    parse: async (raw) => {
      parsed.push(raw);
      if (failFirst && parsed.length === 1) throw new Error('the pool is closed');
      const failed = failedMessage(raw, new Error('not parsed in this test'));
      return { parsed: failed, digest: digestMessage(failed) };
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

  it('lets others peek at a parse under way or kept, and never starts one for them', async () => {
    const { reader, parsed } = countingReader();
    expect(reader.peek('one')).toBeUndefined();
    const reading = reader.read(stored('one'));
    expect(await reader.peek('one')).toBe(await reading);
    expect(await reader.peek('one')).toBe(await reading);
    expect(reader.peek('two')).toBeUndefined();
    expect(parsed).toHaveLength(1);
  });

  it('keeps a parse going while one reader remains, and lets it go when the last one hangs up', async () => {
    const signals: AbortSignal[] = [];
    const reader = createMessageReader({ parse: (_raw, signal) => new Promise(() => { signals.push(signal); }), cacheBytes: 1024 });
    const [one, two] = [new AbortController(), new AbortController()];
    const reads = [reader.read(stored('one'), one.signal), reader.read(stored('one'), two.signal)];
    one.abort();
    await expect(reads[0]).rejects.toBeInstanceOf(CancelledError);
    expect(signals.map((signal) => signal.aborted)).toEqual([false]);
    two.abort();
    await expect(reads[1]).rejects.toBeInstanceOf(CancelledError);
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
  });

  it('never lets go of a parse another part peeked at', async () => {
    const signals: AbortSignal[] = [];
    const reader = createMessageReader({ parse: (_raw, signal) => new Promise(() => { signals.push(signal); }), cacheBytes: 1024 });
    const hangingUp = new AbortController();
    const read = reader.read(stored('one'), hangingUp.signal);
    expect(reader.peek('one')).toBeDefined();
    hangingUp.abort();
    await expect(read).rejects.toBeInstanceOf(CancelledError);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('forgets a parse that failed, so the next read parses again', async () => {
    const { reader, parsed } = countingReader(true);
    await expect(reader.read(stored('one'))).rejects.toThrow('the pool is closed');
    await reader.read(stored('one'));
    expect(parsed).toHaveLength(2);
  });
});
