import type { InboxAddress } from '../mail/address/address.js';
import { unknownSimulatorName, type SimulatorName } from '../mail/address/simulator-names.js';
import type { Clock } from '../runtime/clock.js';
import { SmtpReply } from './replies.js';

/**
 * The SMTP failure simulator: fixed mailboxes at `simulator.` + the default
 * domain that fail the way real servers do, so an app can test how it
 * handles each failure (src/mail/address/simulator-names.ts lists them).
 * Every answer is deterministic and says it is simulated:
 *
 * - bounce@: 550 5.1.1 at RCPT, no such user.
 * - mailbox-full@: 452 4.2.2 at RCPT. A full mailbox is a state its owner can
 *   clear, so the temporary code is the truer one, and it is what large
 *   providers send at RCPT; it tests the retry path, as bounce@ tests the
 *   permanent one.
 * - tempfail@: 451 4.3.0 at RCPT.
 * - greylist@: 451 4.7.1 at RCPT for the first try of each client, sender and
 *   recipient (as written, so each +tag is its own triplet); a retry
 *   GREYLIST_DELAY_MS or more later is accepted, and the triplet forgotten,
 *   so the next message is greylisted again.
 * - slow@: accepted at RCPT after SLOW_DELAY_MS, on the clock's timer, so the
 *   session waits and the event loop does not.
 * - reject-data@: accepted at RCPT, then 554 5.6.0 after DATA. SMTP has one
 *   reply per message, so the message is refused for every recipient.
 * - any other name: 550 5.1.1, naming the ones there are.
 *
 * Mail that greylist@ and slow@ accept is stored in their inbox like any other.
 */

/** How long greylist@ defers a triplet's retries before it accepts one. */
export const GREYLIST_DELAY_MS = 5_000;
/** How long slow@ takes to accept a recipient. */
const SLOW_DELAY_MS = 5_000;
/**
 * How long greylist@ remembers a first try. Real greylisting forgets after
 * hours; an app's retry comes within minutes. A retry after it is greylisted anew.
 */
export const GREYLIST_MEMORY_MS = 60 * 60_000;
/**
 * First tries greylist@ remembers at once, the oldest forgotten first: a
 * triplet is at most some 600 bytes (two 254-byte addresses), so a few MB at worst.
 */
export const GREYLIST_CAPACITY = 10_000;

const SEE_README = "(Ephemail's failure simulator; see README)";

/** One try at a recipient: what greylisting tells tries apart by. */
export interface RecipientTry {
  /** The client's key (an IPv4 address or IPv6 /64). */
  client: string;
  /** MAIL FROM, lower-cased; empty for the null sender. */
  mailFrom: string;
  /** RCPT TO as written, lower-cased. */
  recipient: string;
}

/** The simulator's answers. */
export interface Simulator {
  /** The answer at RCPT for a simulator address: a refusal, or null to accept; slow@ resolves after its delay. */
  atRecipient(name: SimulatorName | 'unknown', address: InboxAddress, attempt: RecipientTry): Promise<SmtpReply | null>;
  /** The refusal after DATA when one of the accepted recipients' inboxes is reject-data@, else null. */
  afterData(inboxes: readonly string[]): SmtpReply | null;
}

/** What the simulator needs: its domain (null when --simulator is off), and the clock its delays run on. */
export interface SimulatorOptions {
  domain: string | null;
  clock: Clock;
}

/** Makes the simulator; its only state is greylist@'s first tries, bounded and expiring. */
export function createSimulator({ domain, clock }: SimulatorOptions): Simulator {
  const greylist = createGreylist(clock);
  const rejectData = domain === null ? null : `reject-data@${domain}`;

  return {
    atRecipient(name, address, attempt) {
      const { inbox } = address;
      switch (name) {
        case 'bounce':
          return Promise.resolve(new SmtpReply(550, '5.1.1', `Simulated bounce: ${inbox} does not exist ${SEE_README}.`));
        case 'mailbox-full':
          return Promise.resolve(new SmtpReply(452, '4.2.2', `Simulated full mailbox: ${inbox} is full and takes no more mail until some is deleted; try again later ${SEE_README}.`));
        case 'tempfail':
          return Promise.resolve(new SmtpReply(451, '4.3.0', `Simulated temporary failure: ${inbox} cannot take mail right now; try again later ${SEE_README}.`));
        case 'greylist':
          return Promise.resolve(greylist.check(attempt));
        case 'slow':
          return new Promise((resolve) => clock.schedule(SLOW_DELAY_MS, () => resolve(null)));
        case 'reject-data':
          return Promise.resolve(null);
        case 'unknown':
          return Promise.resolve(new SmtpReply(550, '5.1.1', `Simulated bounce: ${unknownSimulatorName(address).text}`));
      }
    },
    afterData(inboxes) {
      if (rejectData === null || !inboxes.includes(rejectData)) return null;
      return new SmtpReply(554, '5.6.0', `Simulated content rejection: ${rejectData} refuses every message once it has arrived, so it was not stored for any of its recipients ${SEE_README}.`);
    },
  };
}

/** greylist@'s memory of first tries: a refusal until a retry comes late enough. */
function createGreylist(clock: Clock): { check(attempt: RecipientTry): SmtpReply | null } {
  // Insertion order is age order: entries are only ever added, never refreshed.
  const firstTries = new Map<string, number>();

  function forgetOldest(): void {
    const [oldest] = firstTries.keys();
    if (oldest !== undefined) firstTries.delete(oldest);
  }

  function forgetBefore(time: number): void {
    for (const [key, first] of firstTries) {
      if (first >= time) return;
      firstTries.delete(key);
    }
  }

  function defer(recipient: string, secondsLeft: number, first: boolean): SmtpReply {
    const which = first ? 'A first try' : 'A retry this soon';
    const wait = `${secondsLeft} second${secondsLeft === 1 ? '' : 's'}`;
    return new SmtpReply(451, '4.7.1', `Simulated greylisting: ${which} from this client and sender to ${recipient} is deferred; try again in ${wait} or more ${SEE_README}.`);
  }

  return {
    check({ client, mailFrom, recipient }) {
      const now = clock.now();
      forgetBefore(now - GREYLIST_MEMORY_MS);
      const key = `${client} ${mailFrom} ${recipient}`;
      const first = firstTries.get(key);
      if (first === undefined) {
        if (firstTries.size >= GREYLIST_CAPACITY) forgetOldest();
        firstTries.set(key, now);
        return defer(recipient, GREYLIST_DELAY_MS / 1_000, true);
      }
      const waited = now - first;
      if (waited < GREYLIST_DELAY_MS) return defer(recipient, Math.ceil((GREYLIST_DELAY_MS - waited) / 1_000), false);
      firstTries.delete(key);
      return null;
    },
  };
}
