/** Options of a bounded queue. */
export interface BoundedQueueOptions<T> {
  /** Items that may wait; one more pushes out the oldest waiting. */
  capacity: number;
  /** Items run at once. */
  concurrency: number;
  /** Runs one item; its rejection is the caller's to have handled, and is ignored here. */
  run: (item: T) => Promise<void>;
  /** Told of each item pushed out unrun. */
  onDrop: (item: T) => void;
}

/** Items waiting for a free run slot, never more than the capacity. */
export interface BoundedQueue<T> {
  /** Queues an item and returns at once; never waits for a slot. */
  push(item: T): void;
  /** Drops every waiting item (uncounted) and takes no more; running items finish on their own. */
  close(): void;
}

/**
 * A queue of fixed size in front of a few run slots. When it is full the
 * oldest waiting item is dropped: a receiver that falls behind gets the
 * newest messages, the ones a test is most likely waiting for, and memory
 * never holds more than `capacity` items however long it stays behind.
 */
export function createBoundedQueue<T>({ capacity, concurrency, run, onDrop }: BoundedQueueOptions<T>): BoundedQueue<T> {
  const items: T[] = [];
  let running = 0;
  let closed = false;

  function startWaiting(): void {
    while (!closed && running < concurrency && items.length > 0) {
      const item = items.shift() as T;
      running++;
      run(item).catch(() => {}).finally(() => {
        running--;
        startWaiting();
      });
    }
  }

  return {
    push(item) {
      if (closed) return;
      if (items.length >= capacity) onDrop(items.shift() as T);
      items.push(item);
      startWaiting();
    },
    close() {
      closed = true;
      items.length = 0;
    },
  };
}
