import { describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../src/hub/hub.js';
import type { StoreEvent } from '../../src/store/store.js';

function messageEvent(inbox: string, id = 'm1'): StoreEvent {
  return { type: 'expired', inbox, id };
}

/** A hub whose deferred batches run only when the test says so. */
function manualHub(onListenerError?: (error: unknown) => void): { hub: Hub; run: () => void; pending: () => number } {
  const batches: Array<() => void> = [];
  const hub = createHub({ defer: (run) => batches.push(run), ...(onListenerError ? { onListenerError } : {}) });
  return {
    hub,
    run: () => { for (const batch of batches.splice(0)) batch(); },
    pending: () => batches.length,
  };
}

describe('hub', () => {
  it('delivers each event only to the listeners of its inbox', () => {
    const { hub, run } = manualHub();
    const a: StoreEvent[] = [];
    const b: StoreEvent[] = [];
    hub.subscribe('a@ephemail.test', (event) => a.push(event));
    hub.subscribe('b@ephemail.test', (event) => b.push(event));
    hub.publish(messageEvent('a@ephemail.test', '1'));
    hub.publish(messageEvent('b@ephemail.test', '2'));
    hub.publish(messageEvent('a@ephemail.test', '3'));
    hub.publish(messageEvent('nobody@ephemail.test', '4'));
    run();
    expect(a.map((event) => 'id' in event && event.id)).toEqual(['1', '3']);
    expect(b.map((event) => 'id' in event && event.id)).toEqual(['2']);
  });

  it('defers delivery: nothing is called inside publish', async () => {
    const hub = createHub();
    const seen: string[] = [];
    hub.subscribe('a@ephemail.test', () => seen.push('listener'));
    hub.publish(messageEvent('a@ephemail.test'));
    seen.push('after publish');
    expect(seen).toEqual(['after publish']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['after publish', 'listener']);
  });

  it('batches events published together into one deferred run, in order', () => {
    const { hub, run, pending } = manualHub();
    const ids: string[] = [];
    hub.subscribe('a@ephemail.test', (event) => ids.push('id' in event ? event.id : ''));
    for (const id of ['1', '2', '3']) hub.publish(messageEvent('a@ephemail.test', id));
    expect(pending()).toBe(1);
    run();
    expect(ids).toEqual(['1', '2', '3']);
  });

  it('stops delivering once unsubscribed, also between publish and delivery', () => {
    const { hub, run } = manualHub();
    const seen: string[] = [];
    const unsubscribe = hub.subscribe('a@ephemail.test', () => seen.push('gone'));
    hub.subscribe('a@ephemail.test', () => seen.push('kept'));
    hub.publish(messageEvent('a@ephemail.test'));
    unsubscribe();
    run();
    expect(seen).toEqual(['kept']);
    unsubscribe(); // a second call changes nothing
    expect(hub.listenerCount('a@ephemail.test')).toBe(1);
  });

  it('lets a listener unsubscribe itself during delivery without disturbing the others', () => {
    const { hub, run } = manualHub();
    const seen: string[] = [];
    const unsubscribe = hub.subscribe('a@ephemail.test', () => { seen.push('once'); unsubscribe(); });
    hub.subscribe('a@ephemail.test', () => seen.push('always'));
    hub.publish(messageEvent('a@ephemail.test', '1'));
    hub.publish(messageEvent('a@ephemail.test', '2'));
    run();
    expect(seen).toEqual(['once', 'always', 'always']);
    expect(hub.listenerCount('a@ephemail.test')).toBe(1);
  });

  it('never calls a listener that another listener unsubscribed mid-delivery', () => {
    const { hub, run } = manualHub();
    const seen: string[] = [];
    let unsubscribeSecond = (): void => {};
    hub.subscribe('a@ephemail.test', () => { seen.push('first'); unsubscribeSecond(); });
    unsubscribeSecond = hub.subscribe('a@ephemail.test', () => seen.push('second'));
    hub.publish(messageEvent('a@ephemail.test'));
    run();
    expect(seen).toEqual(['first']);
  });

  it('gives a listener subscribed during delivery the next event, not the current one', () => {
    const { hub, run } = manualHub();
    const seen: string[] = [];
    let added = false;
    hub.subscribe('a@ephemail.test', (event) => {
      if (!added) { added = true; hub.subscribe('a@ephemail.test', (later) => seen.push(`late ${'id' in later ? later.id : ''}`)); }
      seen.push(`early ${'id' in event ? event.id : ''}`);
    });
    hub.publish(messageEvent('a@ephemail.test', '1'));
    run();
    hub.publish(messageEvent('a@ephemail.test', '2'));
    run();
    expect(seen).toEqual(['early 1', 'early 2', 'late 2']);
  });

  it('keeps delivering when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const { hub, run } = manualHub((error) => errors.push(error));
    const seen: string[] = [];
    const boom = new Error('listener broke');
    hub.subscribe('a@ephemail.test', () => { throw boom; });
    hub.subscribe('a@ephemail.test', () => seen.push('second'));
    hub.publish(messageEvent('a@ephemail.test', '1'));
    hub.publish(messageEvent('a@ephemail.test', '2'));
    run();
    expect(seen).toEqual(['second', 'second']);
    expect(errors).toEqual([boom, boom]);
  });

  it('counts listeners per inbox and in total', () => {
    const hub = createHub();
    expect(hub.listenerCount()).toBe(0);
    const listener = (): void => {};
    const offA1 = hub.subscribe('a@ephemail.test', listener);
    const offA1Again = hub.subscribe('a@ephemail.test', listener); // the same function counts once
    const offA2 = hub.subscribe('a@ephemail.test', () => {});
    const offB = hub.subscribe('b@ephemail.test', () => {});
    expect(hub.listenerCount('a@ephemail.test')).toBe(2);
    expect(hub.listenerCount('b@ephemail.test')).toBe(1);
    expect(hub.listenerCount('c@ephemail.test')).toBe(0);
    expect(hub.listenerCount()).toBe(3);
    offA1();
    offA1Again();
    offA2();
    offB();
    expect(hub.listenerCount('a@ephemail.test')).toBe(0);
    expect(hub.listenerCount()).toBe(0);
  });

  it('drops events of inboxes nobody listens to without scheduling anything', () => {
    const { hub, pending } = manualHub();
    hub.publish(messageEvent('nobody@ephemail.test'));
    expect(pending()).toBe(0);
  });
});
