import { describe, expect, it } from 'vitest';
import { createClientSlots, type SlotGrant } from '../../src/runtime/client-slots.js';

function released(grant: SlotGrant): () => void {
  if (!grant.ok) throw new Error(`refused: ${grant.full} is full`);
  return grant.release;
}

describe('createClientSlots', () => {
  it('gives each client up to its cap, whatever the others hold', () => {
    const slots = createClientSlots({ perClient: 2, total: 10 });
    released(slots.take('a'));
    released(slots.take('a'));
    expect(slots.take('a')).toEqual({ ok: false, full: 'client' });
    released(slots.take('b'));
    expect(slots.held()).toBe(3);
    expect(slots.clients()).toBe(2);
  });

  it('refuses everyone once the total is held, and a client at its own cap hears about that cap', () => {
    const slots = createClientSlots({ perClient: 2, total: 3 });
    released(slots.take('a'));
    released(slots.take('a'));
    released(slots.take('b'));
    expect(slots.take('c')).toEqual({ ok: false, full: 'total' });
    expect(slots.take('a')).toEqual({ ok: false, full: 'client' });
  });

  it('frees a slot once however often it is released, and forgets a client that holds none', () => {
    const slots = createClientSlots({ perClient: 1, total: 2 });
    const first = released(slots.take('a'));
    const other = released(slots.take('b'));
    first();
    first();
    expect(slots.held()).toBe(1);
    expect(slots.clients()).toBe(1);
    released(slots.take('a'));
    expect(slots.take('c')).toEqual({ ok: false, full: 'total' });
    other();
    expect(slots.held()).toBe(1);
    expect(slots.clients()).toBe(1);
  });

  it('takes Infinity as "no total here" and tracks only clients that hold slots', () => {
    const slots = createClientSlots({ perClient: 1, total: Infinity });
    const releases = Array.from({ length: 1_000 }, (_, i) => released(slots.take(`client ${i}`)));
    expect(slots.held()).toBe(1_000);
    for (const release of releases) release();
    expect(slots.held()).toBe(0);
    expect(slots.clients()).toBe(0);
  });
});
