import { createSharedClientSlots, type SlotSharing } from '../../runtime/client-slots.js';
import type { ApiProblem } from '../problem.js';

/** A cap on slots: how many, and the problem that refuses one more. */
export interface SlotCap {
  max: number;
  /** The answer to one slot more than `max`. */
  refusal: ApiProblem;
}

/** Caps on something each client holds for a while (open waits, reads in flight): per client, and optionally in total. */
export interface SlotLimitSettings {
  perClient: SlotCap;
  total?: SlotCap;
  /** Counts the per-client cap across instances too; the total is always this process's. */
  sharing?: SlotSharing | null;
}

/** Counts the slots held, per client and in total. */
export interface SlotLimits {
  /**
   * Takes a slot for `client`, or throws the refusal of the cap it would
   * pass (the client's own first). The returned function frees the slot;
   * calling it again does nothing.
   */
  enter(client: string): Promise<() => void>;
  /** Slots held now. */
  held(): number;
  /** Clients holding at least one slot. */
  clients(): number;
}

/** The counting is src/runtime/client-slots.ts, which the connection caps and SMTP's per-address cap share; this adds the refusals. */
export function createSlotLimits({ perClient: clientCap, total: totalCap, sharing = null }: SlotLimitSettings): SlotLimits {
  const slots = createSharedClientSlots({ perClient: clientCap.max, total: totalCap?.max ?? Infinity }, sharing);

  return {
    async enter(client) {
      const grant = await slots.take(client);
      if (grant.ok) return grant.release;
      if (grant.full === 'total' && totalCap !== undefined) throw totalCap.refusal;
      throw clientCap.refusal;
    },
    held: () => slots.held(),
    clients: () => slots.clients(),
  };
}
