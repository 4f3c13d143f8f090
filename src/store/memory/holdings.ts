/** What one inbox or one sender holds in the memory store: its ids in arrival order, and the bytes they count. */
export interface Holding {
  readonly ids: Set<string>;
  bytes: number;
}

/** Holdings by key (an inbox, or a sender); a key that holds nothing is forgotten. */
export interface Holdings {
  get(key: string): Holding | undefined;
  add(key: string, id: string, bytes: number): void;
  remove(key: string, id: string, bytes: number): void;
  /** The holding with the most bytes, or undefined when nothing is held. */
  largest(): Holding | undefined;
}

/** Creates an empty set of holdings. */
export function createHoldings(): Holdings {
  const byKey = new Map<string, Holding>();
  return {
    get: (key) => byKey.get(key),
    add(key, id, bytes) {
      const holding = byKey.get(key) ?? { ids: new Set<string>(), bytes: 0 };
      holding.ids.add(id);
      holding.bytes += bytes;
      byKey.set(key, holding);
    },
    remove(key, id, bytes) {
      const holding = byKey.get(key);
      if (holding === undefined || !holding.ids.delete(id)) return;
      holding.bytes -= bytes;
      if (holding.ids.size === 0) byKey.delete(key);
    },
    // A scan rather than a heap: it runs only while the store is over its budget,
    // about once per message stored then, over the senders holding mail at that moment.
    largest() {
      let largest: Holding | undefined;
      for (const holding of byKey.values()) if (largest === undefined || holding.bytes > largest.bytes) largest = holding;
      return largest;
    },
  };
}
