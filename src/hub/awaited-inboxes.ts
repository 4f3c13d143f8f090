/**
 * Inboxes where a client is blocked waiting for the next message, which it
 * will read in full as soon as it is announced (the wait route). Intake starts
 * that read early for them, beside the digest.
 */
export interface AwaitedInboxes {
  /** Counts a waiter in; returns the function that counts it out (once). */
  enter(inbox: string): () => void;
  has(inbox: string): boolean;
}

export function createAwaitedInboxes(): AwaitedInboxes {
  const waiters = new Map<string, number>();
  return {
    enter(inbox) {
      waiters.set(inbox, (waiters.get(inbox) ?? 0) + 1);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const count = (waiters.get(inbox) ?? 1) - 1;
        if (count > 0) waiters.set(inbox, count);
        else waiters.delete(inbox);
      };
    },
    has: (inbox) => waiters.has(inbox),
  };
}
