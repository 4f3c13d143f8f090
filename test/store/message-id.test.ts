import { describe, expect, it } from 'vitest';
import { createMessageIds, isMessageId, messageIdTime } from '../../src/store/message-id.js';

describe('createMessageIds', () => {
  it('writes the receive time first, so ids sort by age', () => {
    const newId = createMessageIds();
    const now = 1_763_900_000_123.7;
    const id = newId(now);
    expect(isMessageId(id)).toBe(true);
    expect(messageIdTime(id)).toBe(1_763_900_000_123);
    expect(newId(now + 1) > id).toBe(true);
    expect(newId(now - 1_000) < id).toBe(true);
  });

  it('gives every id its own random part, past the end of a block of random bytes', () => {
    const newId = createMessageIds();
    const ids = Array.from({ length: 2_000 }, () => newId(0));
    expect(new Set(ids).size).toBe(ids.length);
    // Every one of the 32 symbols at every one of the 16 random positions: no position is
    // stuck or starved, as a slip in the bit arithmetic would leave it.
    for (let position = 10; position < 26; position++) {
      expect(new Set(ids.map((id) => id[position])).size, `position ${position}`).toBe(32);
    }
  });
});
