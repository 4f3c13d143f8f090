import type { ApiProblem } from '../problem.js';

/** A cap on slots: how many, and the problem that refuses one more. */
export interface SlotCap {
  max: number;
  /** The refusal, given how many slots are held (by the client, or in all). */
  refuse(held: number): ApiProblem;
}

/** Caps on something each client holds for a while (open waits, reads in flight): per client, and optionally in total. */
export interface SlotLimitSettings {
  perClient: SlotCap;
  total?: SlotCap;
}

/** Counts the slots held, per client and in total. */
export interface SlotLimits {
  /**
   * Takes a slot for `client`, or throws the refusal of the cap it would
   * pass (the client's own first). The returned function frees the slot;
   * calling it again does nothing.
   */
  enter(client: string): () => void;
  /** Slots held now. */
  held(): number;
  /** Clients holding at least one slot. */
  clients(): number;
}

/**
 * The per-client map needs no other bound: a client is in it only while it
 * holds a slot, so it never has more entries than slots held.
 */
export function createSlotLimits({ perClient: clientCap, total: totalCap }: SlotLimitSettings): SlotLimits {
  const perClient = new Map<string, number>();
  let held = 0;

  return {
    enter(client) {
      const mine = perClient.get(client) ?? 0;
      if (mine >= clientCap.max) throw clientCap.refuse(mine);
      if (totalCap !== undefined && held >= totalCap.max) throw totalCap.refuse(held);
      perClient.set(client, mine + 1);
      held++;
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        held--;
        const left = (perClient.get(client) ?? 1) - 1;
        if (left === 0) perClient.delete(client);
        else perClient.set(client, left);
      };
    },
    held: () => held,
    clients: () => perClient.size,
  };
}
