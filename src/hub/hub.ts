import type { StoreEvent } from '../store/store.js';
import { notifyEach } from '../runtime/listeners.js';

/** Receives the events of one inbox. */
export type HubListener = (event: StoreEvent) => void;

/** Options of the hub. */
export interface HubOptions {
  /** Told when a listener throws; the other listeners still get the event. */
  onListenerError?: (error: unknown) => void;
  /**
   * Runs a batch of deliveries later. Defaults to setImmediate, so delivery
   * happens after the current I/O callbacks: the SMTP "250" is written first,
   * and a thousand subscribers never delay intake.
   */
  defer?: (run: () => void) => void;
}

/**
 * In-process publish/subscribe of store events per inbox. It knows nothing of
 * SMTP or HTTP: intake feeds it through the store, and the WebSocket and
 * wait routes listen to it.
 */
export interface Hub {
  publish(event: StoreEvent): void;
  /** Listens to one inbox; returns the unsubscribe function. */
  subscribe(inbox: string, listener: HubListener): () => void;
  /** Listeners of one inbox, or of all inboxes. */
  listenerCount(inbox?: string): number;
}

export function createHub(options: HubOptions = {}): Hub {
  const defer = options.defer ?? ((run) => setImmediate(run));
  const byInbox = new Map<string, Set<HubListener>>();
  let queue: StoreEvent[] = [];
  let total = 0;

  function deliver(event: StoreEvent): void {
    const listeners = byInbox.get(event.inbox);
    if (listeners === undefined) return;
    notifyEach(listeners, event, options.onListenerError);
  }

  function flush(): void {
    const batch = queue;
    queue = [];
    for (const event of batch) deliver(event);
  }

  return {
    publish(event) {
      if (!byInbox.has(event.inbox)) return;
      queue.push(event);
      if (queue.length === 1) defer(flush);
    },

    subscribe(inbox, listener) {
      const listeners = byInbox.get(inbox) ?? new Set<HubListener>();
      byInbox.set(inbox, listeners);
      if (!listeners.has(listener)) total++;
      listeners.add(listener);
      return () => {
        if (!listeners.delete(listener)) return;
        total--;
        if (listeners.size === 0 && byInbox.get(inbox) === listeners) byInbox.delete(inbox);
      };
    },

    listenerCount(inbox) {
      return inbox === undefined ? total : byInbox.get(inbox)?.size ?? 0;
    },
  };
}
