import type { SharedCounter } from './shared-counter.js';

/**
 * How many of something each client holds open, and all clients together:
 * SMTP connections per address, HTTP connections, live event sockets, open
 * waits for mail and reads in flight. A client is whatever key the caller
 * counts by (see client-key.ts).
 */
export interface ClientSlotCaps {
  /** The most one client may hold. */
  perClient: number;
  /** The most all clients together may hold; Infinity when something else bounds the total. */
  total: number;
}

/** A slot taken, or which cap is already full. */
export type SlotGrant = { ok: true; release: () => void } | { ok: false; full: 'client' | 'total' };

/** Open slots per client and in total. */
export interface ClientSlots {
  /** Takes a slot for `client`; its `release` gives it back, once (later calls do nothing). */
  take(client: string): SlotGrant;
  /** Slots held now, by everyone. */
  held(): number;
  /** Clients holding at least one slot. */
  clients(): number;
}

/**
 * Needs no other bound on memory: a client is tracked only while it holds a
 * slot, so there are never more entries than slots held.
 */
export function createClientSlots(caps: ClientSlotCaps): ClientSlots {
  const perClient = new Map<string, number>();
  let held = 0;

  function give(client: string): void {
    held--;
    const left = (perClient.get(client) ?? 1) - 1;
    if (left === 0) perClient.delete(client);
    else perClient.set(client, left);
  }

  return {
    take(client) {
      const mine = perClient.get(client) ?? 0;
      if (mine >= caps.perClient) return { ok: false, full: 'client' };
      if (held >= caps.total) return { ok: false, full: 'total' };
      perClient.set(client, mine + 1);
      held++;
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          give(client);
        },
      };
    },
    held: () => held,
    clients: () => perClient.size,
  };
}

/** Client slots whose per-client count may be shared by several instances, so taking one waits for the count. */
export interface SharedClientSlots extends Omit<ClientSlots, 'take'> {
  /** Takes a slot for `client`; its `release` gives it back on every count, once. */
  take(client: string): Promise<SlotGrant>;
}

/** Where the per-client part of some slots is shared: the counter, and the name their count has there. */
export interface SlotSharing {
  counter: SharedCounter;
  kind: string;
}

/**
 * Slots counted here, and per client also on `sharing`'s counter when there
 * is one. This process's count goes first: it holds the total, costs no
 * round trip, and decides alone while the shared count is away. A slot
 * refused by the shared count is given back here at once.
 */
export function createSharedClientSlots(caps: ClientSlotCaps, sharing: SlotSharing | null): SharedClientSlots {
  const local = createClientSlots(caps);
  return {
    async take(client) {
      const here = local.take(client);
      if (!here.ok || sharing === null) return here;
      const everywhere = await sharing.counter.takeSlot(sharing.kind, client, caps.perClient);
      if (!everywhere.ok) {
        here.release();
        return everywhere;
      }
      return {
        ok: true,
        release() {
          here.release();
          everywhere.release();
        },
      };
    },
    held: () => local.held(),
    clients: () => local.clients(),
  };
}
