import { LRUCache } from 'lru-cache';
import { shareWork, type SharedWork } from './cancellation.js';

/** Options of a work cache. */
export interface WorkCacheOptions<T> {
  /** Bytes of results kept, least recently used out first. */
  maxBytes: number;
  /** The bytes one result holds. */
  sizeOf: (value: T) => number;
  /** How long to keep a result, in ms; undefined (or no function) keeps it until it is evicted or forgotten. */
  keepMs?: (value: T) => number | undefined;
}

/** Results of costly work by key: kept in a bounded cache, and made once however many ask at the same moment. */
export interface WorkCache<T> {
  /**
   * The result for `key`: cached, or joined if under way, or made by `make`.
   * A requester whose `signal` aborts gets a CancelledError at once; `make`'s
   * signal aborts when every requester has gone (see shareWork). A failure
   * is not kept, so the next request tries again.
   */
  get(key: string, make: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The result for `key` when cached or under way, never starting it; the caller stays until it ends. */
  peek(key: string): Promise<T> | undefined;
  /** Forgets `key`, and keeps out the result of work under way for it (its subject has gone). */
  forget(key: string): void;
}

/** Makes a work cache. */
export function createWorkCache<T extends object>({ maxBytes, sizeOf, keepMs }: WorkCacheOptions<T>): WorkCache<T> {
  const cache = new LRUCache<string, T>({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, sizeOf(value)) });
  const underWay = new Map<string, SharedWork<T>>();

  function start(key: string, make: (signal: AbortSignal) => Promise<T>): SharedWork<T> {
    const work = shareWork(make);
    underWay.set(key, work);
    // Kept even when every requester has gone meanwhile: the work ran to its end, and the next request is free.
    work.result.then((value) => {
      const ttl = keepMs?.(value);
      if (underWay.get(key) === work) cache.set(key, value, ttl === undefined ? {} : { ttl });
    }, () => {}).finally(() => {
      if (underWay.get(key) === work) underWay.delete(key);
    });
    return work;
  }

  return {
    get(key, make, signal) {
      const cached = cache.get(key);
      if (cached !== undefined) return Promise.resolve(cached);
      return (underWay.get(key) ?? start(key, make)).join(signal);
    },
    peek(key) {
      const cached = cache.get(key);
      return cached === undefined ? underWay.get(key)?.join() : Promise.resolve(cached);
    },
    forget(key) {
      cache.delete(key);
      underWay.delete(key);
    },
  };
}
