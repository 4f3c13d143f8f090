import { describe, expect, it } from 'vitest';
import { openInboxFeed, type FeedSink } from '../../src/http/events/feed.js';
import { createHub } from '../../src/hub/hub.js';
import type { MessageSummary } from '../../src/mail/read/digest.js';
import type { StoreEvent } from '../../src/store/store.js';
import { makeDigest } from '../support/messages.js';

const INBOX = 'feed@ephemail.test';

function summary(id: string): MessageSummary {
  return { ...makeDigest(), id, inbox: INBOX, tag: null, receivedAt: 0, expiresAt: 1, size: 1 };
}

function arrived(id: string): StoreEvent {
  return { type: 'message', inbox: INBOX, message: { id, inbox: INBOX, tag: null, receivedAt: 0, expiresAt: 1, size: 1 } };
}

/**
 * A hub whose deliveries wait for `flush`, a listing that waits for
 * `finishListing` (given every message of the inbox, of which the feed gets
 * as many as it asked for), and a sink that records what it was given: every
 * interleaving of the race between listing and delivery can be set up by hand.
 */
function setUp(sinkOverrides: Partial<FeedSink> = {}, readSummary = async (id: string): Promise<MessageSummary | undefined> => summary(id)) {
  const deliveries: Array<() => void> = [];
  const hub = createHub({ defer: (run) => deliveries.push(run) });
  let finishListing: (messages: MessageSummary[]) => void = () => {};
  let failListing: (error: Error) => void = () => {};
  const listing = new Promise<MessageSummary[]>((resolve, reject) => {
    finishListing = resolve;
    failListing = reject;
  });
  const seen: string[] = [];
  const sink: FeedSink = {
    hello: (messages) => seen.push(`hello ${messages.map((message) => message.id).join(',')}`),
    event: (event) => seen.push(`${event.type} ${event.type === 'message' ? event.message.id : event.id}`),
    failed: (error) => seen.push(`failed ${(error as Error).message}`),
    ...sinkOverrides,
  };
  // What the feed asked the listing for.
  const asked: { limit?: number; signal?: AbortSignal } = {};
  const newest = listing.then((messages) => ({ messages: messages.slice(0, asked.limit), more: messages.length > (asked.limit ?? 0) }));
  const summaries = {
    newest: (_inbox: string, limit: number, signal?: AbortSignal) => {
      Object.assign(asked, { limit, signal });
      return newest;
    },
    of: (head: { id: string }) => readSummary(head.id),
  };
  const stop = openInboxFeed({ hub, summaries }, INBOX, sink);
  return {
    hub, seen, stop, asked,
    flush: () => { for (const run of deliveries.splice(0)) run(); },
    async list(ids: string[]) {
      finishListing(ids.map(summary));
      await newest;
    },
    async fail(message: string) {
      failListing(new Error(message));
      await newest.catch(() => {});
    },
  };
}

describe('openInboxFeed', () => {
  it('subscribes before it lists, so a message stored meanwhile is not missed', async () => {
    const feed = setUp();
    expect(feed.hub.listenerCount(INBOX)).toBe(1);
    feed.hub.publish(arrived('b'));
    feed.flush();
    await feed.list(['a']);
    await expect.poll(() => feed.seen).toEqual(['hello a', 'message b']);
  });

  it('holds events delivered while listing and sends them after hello, minus messages the listing has', async () => {
    const feed = setUp();
    feed.hub.publish(arrived('a'));
    feed.hub.publish(arrived('b'));
    feed.hub.publish({ type: 'deleted', inbox: INBOX, id: 'old' });
    feed.flush();
    expect(feed.seen).toEqual([]);
    await feed.list(['a', 'earlier']);
    await expect.poll(() => feed.seen).toEqual(['hello a,earlier', 'message b', 'deleted old']);
  });

  it('drops a listed message that the hub delivers only after hello', async () => {
    const feed = setUp();
    feed.hub.publish(arrived('a'));
    await feed.list(['a']);
    feed.flush();
    expect(feed.seen).toEqual(['hello a']);
  });

  it('passes removals of listed messages, and sends live messages after hello', async () => {
    const feed = setUp();
    await feed.list(['a']);
    feed.hub.publish({ type: 'expired', inbox: INBOX, id: 'a' });
    feed.hub.publish(arrived('c'));
    feed.hub.publish({ type: 'evicted', inbox: INBOX, id: 'c' });
    feed.flush();
    await expect.poll(() => feed.seen).toEqual(['hello a', 'expired a', 'message c', 'evicted c']);
  });

  it('sends new messages in the order they arrived, whichever summary is read first', async () => {
    const reads = new Map<string, (summary: MessageSummary | undefined) => void>();
    const feed = setUp({}, (id) => new Promise((resolve) => reads.set(id, resolve)));
    await feed.list([]);
    feed.hub.publish(arrived('first'));
    feed.hub.publish(arrived('second'));
    feed.hub.publish(arrived('gone'));
    feed.hub.publish({ type: 'deleted', inbox: INBOX, id: 'gone' });
    feed.flush();
    await expect.poll(() => reads.size).toBe(3);
    reads.get('gone')?.(undefined);
    reads.get('second')?.(summary('second'));
    reads.get('first')?.(summary('first'));
    await expect.poll(() => feed.seen).toEqual(['hello ', 'message first', 'message second', 'deleted gone']);
  });

  it('stops, reporting once, when a new message cannot be read or the sink throws', async () => {
    const unreadable = setUp({}, async () => { throw new Error('parse pool gone'); });
    await unreadable.list([]);
    unreadable.hub.publish(arrived('a'));
    unreadable.hub.publish(arrived('b'));
    unreadable.flush();
    await expect.poll(() => unreadable.seen).toEqual(['hello ', 'failed parse pool gone']);
    expect(unreadable.hub.listenerCount(INBOX)).toBe(0);

    const throwing = setUp({ event: () => { throw new Error('socket gone'); } });
    await throwing.list([]);
    throwing.hub.publish(arrived('a'));
    throwing.flush();
    await expect.poll(() => throwing.seen).toEqual(['hello ', 'failed socket gone']);
  });

  it('ignores other inboxes', async () => {
    const feed = setUp();
    await feed.list([]);
    feed.hub.publish({ ...arrived('x'), inbox: 'other@ephemail.test' });
    feed.flush();
    expect(feed.seen).toEqual(['hello ']);
  });

  it('sends nothing, stops listening and stops reading the listing when stopped before it returns', async () => {
    const feed = setUp();
    feed.hub.publish(arrived('a'));
    feed.flush();
    expect(feed.asked.signal?.aborted).toBe(false);
    feed.stop();
    expect(feed.hub.listenerCount(INBOX)).toBe(0);
    expect(feed.asked.signal?.aborted).toBe(true);
    await feed.list(['a']);
    expect(feed.seen).toEqual([]);
  });

  it('says hello with the newest 200 messages at most, and whether the inbox holds older ones', async () => {
    const hellos: Array<{ count: number; more: boolean }> = [];
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`);
    for (const count of [200, 201]) {
      const feed = setUp({ hello: (messages, more) => hellos.push({ count: messages.length, more }) });
      // No more than it sends: whether there are more is counted, not read.
      expect(feed.asked.limit).toBe(200);
      await feed.list(ids(count));
    }
    expect(hellos).toEqual([{ count: 200, more: false }, { count: 200, more: true }]);
  });

  it('sends no held events once the sink stopped the feed during hello', async () => {
    let stop = () => {};
    const seen: string[] = [];
    const feed = setUp({ hello: () => { seen.push('hello'); stop(); }, event: (event) => seen.push(event.type) });
    stop = feed.stop;
    feed.hub.publish(arrived('b'));
    feed.flush();
    await feed.list([]);
    expect(seen).toEqual(['hello']);
    expect(feed.hub.listenerCount(INBOX)).toBe(0);
  });

  it('reports a failed listing once, after unsubscribing', async () => {
    const feed = setUp();
    feed.hub.publish(arrived('a'));
    feed.flush();
    await feed.fail('store down');
    expect(feed.seen).toEqual(['failed store down']);
    expect(feed.hub.listenerCount(INBOX)).toBe(0);
  });
});
