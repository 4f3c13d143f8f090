import { describe, expect, it } from 'vitest';
import { createAwaitedInboxes } from '../../src/hub/awaited-inboxes.js';

describe('createAwaitedInboxes', () => {
  it('counts waiters per inbox until the last one leaves, each leaving once', () => {
    const awaited = createAwaitedInboxes();
    const first = awaited.enter('a@x.test');
    const second = awaited.enter('a@x.test');
    expect(awaited.has('a@x.test')).toBe(true);
    expect(awaited.has('b@x.test')).toBe(false);
    first();
    first();
    expect(awaited.has('a@x.test')).toBe(true);
    second();
    expect(awaited.has('a@x.test')).toBe(false);
  });
});
