import { describe, expect, it } from 'vitest';
import { createBoundedQueue } from '../../src/webhooks/queue.js';

/** A queue whose runs end only when the test resolves them. */
function heldQueue(capacity: number, concurrency: number) {
  const started: string[] = [];
  const dropped: string[] = [];
  const finish = new Map<string, () => void>();
  const queue = createBoundedQueue<string>({
    capacity, concurrency,
    run: (item) => new Promise<void>((resolve) => {
      started.push(item);
      finish.set(item, resolve);
    }),
    onDrop: (item) => dropped.push(item),
  });
  return { queue, started, dropped, finish: (item: string) => finish.get(item)?.() };
}

describe('createBoundedQueue', () => {
  it('runs at most `concurrency` items at once and starts the next as one ends', async () => {
    const { queue, started, finish } = heldQueue(10, 2);
    for (const item of ['a', 'b', 'c', 'd']) queue.push(item);
    expect(started).toEqual(['a', 'b']);
    finish('a');
    await expect.poll(() => started).toEqual(['a', 'b', 'c']);
  });

  it('drops the oldest waiting item when full, never a running one', () => {
    const { queue, started, dropped } = heldQueue(2, 1);
    for (const item of ['a', 'b', 'c', 'd', 'e']) queue.push(item);
    expect(started).toEqual(['a']);
    expect(dropped).toEqual(['b', 'c']);
  });

  it('goes on after a run rejects', async () => {
    const started: string[] = [];
    const queue = createBoundedQueue<string>({
      capacity: 10, concurrency: 1, onDrop: () => {},
      run: async (item) => {
        started.push(item);
        throw new Error('receiver down');
      },
    });
    queue.push('a');
    queue.push('b');
    await expect.poll(() => started).toEqual(['a', 'b']);
  });

  it('forgets waiting items on close and takes no more', async () => {
    const { queue, started, dropped, finish } = heldQueue(10, 1);
    queue.push('a');
    queue.push('b');
    queue.close();
    queue.push('c');
    finish('a');
    // Lets the ended run's callbacks, which would start the next item, go first.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a']);
    expect(dropped).toEqual([]);
  });
});
