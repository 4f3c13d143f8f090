import { describe, expect, it } from 'vitest';
import { checkAddress, type InboxAddress } from '../../src/mail/address/address.js';
import { createSimulator, GREYLIST_CAPACITY, GREYLIST_DELAY_MS, GREYLIST_MEMORY_MS, type RecipientTry } from '../../src/smtp/simulator.js';
import { createManualClock } from '../support/manual-clock.js';

const GREYLIST: InboxAddress = (() => {
  const check = checkAddress('greylist@simulator.ephemail.test');
  if (!check.ok) throw new Error(check.reason.text);
  return check.address;
})();

function attempt(sender: string): RecipientTry {
  return { client: '192.0.2.1', mailFrom: sender, recipient: 'greylist@simulator.ephemail.test' };
}

/** greylist@'s answer as code and sentence, or 'accepted'. */
async function answer(simulator: ReturnType<typeof createSimulator>, sender: string): Promise<string> {
  const reply = await simulator.atRecipient('greylist', GREYLIST, attempt(sender));
  return reply === null ? 'accepted' : `${reply.responseCode} ${reply.message}`;
}

const FIRST = /^451 Simulated greylisting: A first try /;
const TOO_SOON = /^451 Simulated greylisting: A retry this soon /;

describe('greylist@ memory', () => {
  it('tells triplets apart: another sender, client or recipient tag is a first try of its own', async () => {
    const clock = createManualClock();
    const simulator = createSimulator({ domain: 'simulator.ephemail.test', clock });
    expect(await answer(simulator, 'a@example.com')).toMatch(FIRST);
    clock.advance(GREYLIST_DELAY_MS);
    const others: RecipientTry[] = [
      attempt('b@example.com'),
      { ...attempt('a@example.com'), client: '192.0.2.2' },
      { ...attempt('a@example.com'), recipient: 'greylist+tag@simulator.ephemail.test' },
    ];
    for (const other of others) expect((await simulator.atRecipient('greylist', GREYLIST, other))?.enhancedCode).toBe('4.7.1');
    expect(await answer(simulator, 'a@example.com')).toBe('accepted');
  });

  it('forgets a first try after GREYLIST_MEMORY_MS, so a retry that late is greylisted anew', async () => {
    const clock = createManualClock();
    const simulator = createSimulator({ domain: 'simulator.ephemail.test', clock });
    expect(await answer(simulator, 'late@example.com')).toMatch(FIRST);
    clock.advance(GREYLIST_MEMORY_MS + 1);
    expect(await answer(simulator, 'late@example.com')).toMatch(FIRST);
    clock.advance(1_000);
    expect(await answer(simulator, 'late@example.com')).toMatch(TOO_SOON);
  });

  it(`remembers at most ${GREYLIST_CAPACITY} first tries, forgetting the oldest`, async () => {
    const clock = createManualClock();
    const simulator = createSimulator({ domain: 'simulator.ephemail.test', clock });
    for (let i = 0; i <= GREYLIST_CAPACITY; i++) await answer(simulator, `sender${i}@example.com`);
    clock.advance(GREYLIST_DELAY_MS);
    // The first was pushed out by the one over capacity; the second is still remembered.
    expect(await answer(simulator, 'sender0@example.com')).toMatch(FIRST);
    expect(await answer(simulator, 'sender2@example.com')).toBe('accepted');
  });
});

describe('reject-data@', () => {
  it('refuses after DATA only when one of the inboxes is reject-data@, and never with the simulator off', () => {
    const clock = createManualClock();
    const simulator = createSimulator({ domain: 'simulator.ephemail.test', clock });
    expect(simulator.afterData(['someone@ephemail.test'])).toBeNull();
    expect(simulator.afterData(['someone@ephemail.test', 'reject-data@simulator.ephemail.test'])?.enhancedCode).toBe('5.6.0');
    expect(createSimulator({ domain: null, clock }).afterData(['reject-data@simulator.ephemail.test'])).toBeNull();
  });
});
