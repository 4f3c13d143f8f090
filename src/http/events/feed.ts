import type { Hub } from '../../hub/hub.js';
import type { MessageSummary } from '../../mail/read/digest.js';
import type { Summaries } from '../../mail/read/summaries.js';
import type { StoreEvent } from '../../store/store.js';
import { LIST_MAX_MESSAGES } from '../api/message-filter.js';
import type { FeedEvent } from './frames.js';

// As many as one listing carries, so a hello is bounded in bytes as a listing
// is, whatever --inbox-limit is; older messages are a listing's `before` away.
const HELLO_MESSAGES = LIST_MAX_MESSAGES;

/** Where a feed delivers, in this order: one `hello`, then events; or `failed` once instead. */
export interface FeedSink {
  /** The newest messages of the inbox (at most 200), newest first, and whether it holds older ones too. */
  hello(messages: MessageSummary[], more: boolean): void;
  /** `cause` is the hub's event, the same object for every feed of the inbox. */
  event(event: FeedEvent, cause: StoreEvent): void;
  /** Reading the inbox or a new message's summary failed, or delivering threw; the feed has already stopped. */
  failed(error: unknown): void;
}

/** What a feed reads from. */
export interface FeedSource {
  hub: Hub;
  summaries: Pick<Summaries, 'newest' | 'of'>;
}

/**
 * Follows one inbox as a listing followed by changes, with no gap and no
 * duplicate. It subscribes before it lists, so a message stored meanwhile is
 * seen by one or the other; events arriving while the listing is read are held
 * until `hello` has gone out. Because the hub delivers later than the store
 * changes, a `message` event for a listed message can also arrive after
 * `hello`, held or not: it is dropped. The ids waiting for such a repeat
 * leave the set when their repeat or their removal is seen, so it never
 * outgrows the listing. New messages' summaries are read side by side but
 * delivered in the order of their events. Stopping it also stops reading the
 * listing's digests. Returns the function that stops the feed.
 */
export function openInboxFeed(source: FeedSource, inbox: string, sink: FeedSink): () => void {
  let open = true;
  let held: StoreEvent[] | null = [];
  let listed = new Set<string>();
  let delivered: Promise<void> = Promise.resolve();
  const listing = new AbortController();

  // A delivery that throws stops the feed rather than the chain behind it.
  function inOrder(deliver: () => Promise<void> | void): void {
    delivered = delivered.then(() => (open ? deliver() : undefined)).catch(fail);
  }

  function forward(event: StoreEvent): void {
    if (event.type !== 'message') {
      listed.delete(event.id);
      inOrder(() => sink.event({ type: event.type, id: event.id }, event));
      return;
    }
    if (listed.delete(event.message.id)) return;
    const reading = source.summaries.of(event.message);
    // Awaited in turn below; handled now, so it never counts as unhandled while earlier events go out.
    reading.catch(() => {});
    inOrder(async () => {
      const summary = await reading;
      // Gone before its summary was read: its removal event follows.
      if (summary !== undefined && open) sink.event({ type: 'message', message: summary }, event);
    });
  }

  const unsubscribe = source.hub.subscribe(inbox, (event) => {
    if (held === null) forward(event);
    else held.push(event);
  });

  function stop(): void {
    open = false;
    held = null;
    listing.abort();
    unsubscribe();
  }

  function fail(error: unknown): void {
    if (!open) return;
    stop();
    sink.failed(error);
  }

  source.summaries.newest(inbox, HELLO_MESSAGES, listing.signal).then(({ messages, more }) => {
    // Stopped before the listing came back.
    if (held === null) return;
    listed = new Set(messages.map((message) => message.id));
    const pending = held;
    held = null;
    sink.hello(messages, more);
    // The sink may stop the feed while sending (a client dropped as too slow), so check before each event.
    for (const event of pending) {
      if (!open) return;
      forward(event);
    }
  }).catch(fail);

  return stop;
}
