import { describe, expect, it } from 'vitest';
import { createJobQueue } from '../../src/worker/job-queue.js';

describe('createJobQueue', () => {
  it('hands out every waiting digest before any read, each lane oldest first', () => {
    const queue = createJobQueue<string>(10);
    for (const [lane, item] of [['read', 'parse 1'], ['digest', 'digest 1'], ['read', 'html 2'], ['digest', 'digest 2']] as const) {
      expect(queue.add(lane, item, undefined, () => {})).toBe(true);
    }
    expect([queue.take(), queue.take(), queue.take(), queue.take(), queue.take()]).toEqual(['digest 1', 'digest 2', 'parse 1', 'html 2', undefined]);
  });

  it('refuses an item past its lane\'s cap, while the other lane still takes', () => {
    const queue = createJobQueue<string>(2);
    expect(queue.add('read', 'a', undefined, () => {})).toBe(true);
    expect(queue.add('read', 'b', undefined, () => {})).toBe(true);
    expect(queue.add('read', 'c', undefined, () => {})).toBe(false);
    expect(queue.add('digest', 'd', undefined, () => {})).toBe(true);
    queue.take();
    queue.take();
    expect(queue.add('read', 'c', undefined, () => {})).toBe(true);
  });

  it('takes an item out when its requester goes while it waits, and not once it was handed out', () => {
    const queue = createJobQueue<string>(10);
    const cancelled: string[] = [];
    const [first, second, third] = [new AbortController(), new AbortController(), new AbortController()];
    queue.add('read', 'first', first.signal, () => cancelled.push('first'));
    queue.add('read', 'second', second.signal, () => cancelled.push('second'));
    queue.add('read', 'third', third.signal, () => cancelled.push('third'));
    expect(queue.take()).toBe('first');
    first.abort();
    second.abort();
    expect(cancelled).toEqual(['second']);
    expect(queue.take()).toBe('third');
    third.abort();
    expect(cancelled).toEqual(['second']);
  });

  it('cancels at once, without queueing, an item whose requester has already gone', () => {
    const queue = createJobQueue<string>(10);
    const cancelled: string[] = [];
    expect(queue.add('read', 'late', AbortSignal.abort(), () => cancelled.push('late'))).toBe(true);
    expect(cancelled).toEqual(['late']);
    expect(queue.take()).toBeUndefined();
  });

  it('drains both lanes, digests first, and stops listening for their requesters', () => {
    const queue = createJobQueue<string>(10);
    const cancelled: string[] = [];
    const requester = new AbortController();
    queue.add('read', 'read', requester.signal, () => cancelled.push('read'));
    queue.add('digest', 'digest', undefined, () => {});
    expect(queue.drain()).toEqual(['digest', 'read']);
    requester.abort();
    expect(cancelled).toEqual([]);
    expect(queue.take()).toBeUndefined();
  });
});
