import { afterEach, beforeEach } from 'vitest';
import type { Store, StoreEvent } from '../../src/store/store.js';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';

/** What every store is built with in the contract suite. */
export interface ContractSettings {
  clock: ManualClock;
  ttlMs: number;
  memoryLimit: number;
  memoryShare: number | null;
  inboxLimit: number;
}

/** Builds a fresh, empty store; `settle` lets a backend deliver pending events before assertions. */
export type StoreFactory = (settings: ContractSettings) => Promise<{ store: Store; settle?: () => Promise<void> }>;

export const TTL = 60_000;
export const INBOX_LIMIT = 5;
export const MEMORY_LIMIT = 64 * 1024;

/** The store of the test that is running, and what it has announced. */
export interface ContractStore {
  readonly clock: ManualClock;
  readonly store: Store;
  /** Lets the backend deliver pending events. */
  settle(): Promise<void>;
  /** The events of `type` the store has announced so far. */
  eventsOf(type: StoreEvent['type']): StoreEvent[];
}

/**
 * Gives each test of the calling describe block a fresh store from
 * `factory`, closed after it; the returned object always answers with the
 * running test's store and clock.
 */
export function useContractStore(factory: StoreFactory, memoryShare: number | null): ContractStore {
  let clock = createManualClock();
  let opened: { store: Store; settle: () => Promise<void> } | undefined;
  let events: StoreEvent[] = [];

  beforeEach(async () => {
    clock = createManualClock();
    const built = await factory({ clock, ttlMs: TTL, memoryLimit: MEMORY_LIMIT, memoryShare, inboxLimit: INBOX_LIMIT });
    opened = { store: built.store, settle: built.settle ?? (async () => {}) };
    events = [];
    built.store.subscribe((event) => events.push(event));
  });
  afterEach(async () => opened?.store.close());

  function running(): { store: Store; settle: () => Promise<void> } {
    if (opened === undefined) throw new Error('The contract store exists only while a test runs.');
    return opened;
  }

  return {
    get clock() {
      return clock;
    },
    get store() {
      return running().store;
    },
    settle: () => running().settle(),
    eventsOf: (type) => events.filter((event) => event.type === type),
  };
}
