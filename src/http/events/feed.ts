import type { Hub } from '../../hub/hub.js';
import type { MessageSummary, Store, StoreEvent } from '../../store/store.js';

/** Where a feed delivers, in this order: one `hello`, then events; or `failed` once instead. */
export interface FeedSink {
  hello(messages: MessageSummary[]): void;
  event(event: StoreEvent): void;
  /** Listing the inbox failed; the feed has already stopped. */
  failed(error: unknown): void;
}

/** What a feed reads from. */
export interface FeedSource {
  hub: Hub;
  store: Pick<Store, 'list'>;
}

/**
 * Follows one inbox as a listing followed by changes, with no gap and no
 * duplicate. It subscribes before it lists, so a message stored meanwhile is
 * seen by one or the other; events arriving while the listing is read are held
 * until `hello` has gone out. Because the hub delivers later than the store
 * changes, a `message` event for a listed message can also arrive after
 * `hello`, held or not: it is dropped. The ids waiting for such a repeat
 * leave the set when their repeat or their removal is seen, so it never
 * outgrows the listing. Returns the function that stops the feed.
 */
export function openInboxFeed(source: FeedSource, inbox: string, sink: FeedSink): () => void {
  let open = true;
  let held: StoreEvent[] | null = [];
  let listed = new Set<string>();

  function forward(event: StoreEvent): void {
    if (event.type === 'message') {
      if (!listed.delete(event.message.id)) sink.event(event);
      return;
    }
    listed.delete(event.id);
    sink.event(event);
  }

  const unsubscribe = source.hub.subscribe(inbox, (event) => {
    if (held === null) forward(event);
    else held.push(event);
  });

  function stop(): void {
    open = false;
    held = null;
    unsubscribe();
  }

  source.store.list(inbox).then((messages) => {
    // Stopped before the listing came back.
    if (held === null) return;
    listed = new Set(messages.map((message) => message.id));
    const pending = held;
    held = null;
    sink.hello(messages);
    // The sink may stop the feed while sending (a client dropped as too slow), so check before each event.
    for (const event of pending) {
      if (!open) return;
      forward(event);
    }
  }).catch((error: unknown) => {
    if (!open) return;
    stop();
    sink.failed(error);
  });

  return stop;
}
