import { digestRaw } from '../../src/mail/read/digest.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock } from '../../src/runtime/clock.js';
import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { makeNewMessage } from '../support/messages.js';

/**
 * The wall clock jumping (NTP step, VM resume, an operator's `date -s`)
 * after start. The system clock reads Date.now() once and then follows the
 * monotonic clock, so mail neither expires all at once on a jump forward
 * nor lives forever on a jump back. Real timers, a short ttl.
 */

// Long enough that a stalled machine does not expire the first message before the jump is checked.
const TTL_MS = 2_000;
const DAY_MS = 86_400_000;

let store: Store | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await store?.close();
  store = null;
});

async function subjects(target: Store, inbox: string): Promise<string[]> {
  const heads = await target.list(inbox);
  const stored = await Promise.all(heads.map((head) => target.get(inbox, head.id)));
  return Promise.all(stored.map(async (message) => (message === undefined ? '' : (await digestRaw(message.raw)).subject)));
}

describe.each([
  ['forward a day', DAY_MS],
  ['back a day', -DAY_MS],
])('the wall clock jumping %s', (_name, jump) => {
  it('neither expires mail at once nor keeps it forever', async () => {
    const clock = createSystemClock();
    const opened = createMemoryStore({ ttlMs: TTL_MS, memoryLimit: 1024 * 1024, memoryShare: null, inboxLimit: 10, clock });
    store = opened;
    await opened.add(makeNewMessage(['jump@ephemail.test'], { subject: 'before the jump' }));

    const wall = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => wall + jump);
    // Following the jump would put it a day off; the time this test takes, however slow, is far less.
    expect(Math.abs(clock.now() - wall)).toBeLessThan(DAY_MS / 2);
    await opened.add(makeNewMessage(['jump@ephemail.test'], { subject: 'after the jump' }));
    expect(await subjects(opened, 'jump@ephemail.test')).toEqual(['after the jump', 'before the jump']);

    // Both expire by the monotonic clock, whatever the wall clock says: within seconds, not a day.
    await expect.poll(() => subjects(opened, 'jump@ephemail.test')).toEqual([]);
  });
});
