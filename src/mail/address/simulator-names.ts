import type { DomainPolicy, InboxAddress } from './address.js';
import { addressReason, type AddressReason } from './reasons.js';

/**
 * The mailboxes of the SMTP failure simulator, at `simulator.` + the default
 * domain. Here, rather than in src/smtp/, because the HTTP side answers for
 * the same addresses by the same rule; src/smtp/simulator.ts gives each name
 * its SMTP answer.
 */
const SIMULATOR_NAMES = ['bounce', 'mailbox-full', 'tempfail', 'greylist', 'slow', 'reject-data'] as const;

/** One of the simulator's mailboxes. */
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

/**
 * Which simulator mailbox `address` names: one of SIMULATOR_NAMES, `unknown`
 * for any other name at the simulator's domain, or null for an address
 * elsewhere (or any address when the simulator is off).
 */
export function simulatorNameOf(address: InboxAddress, policy: DomainPolicy): SimulatorName | 'unknown' | null {
  if (policy.simulatorDomain === null || address.domain !== policy.simulatorDomain) return null;
  return SIMULATOR_NAMES.find((name) => name === address.localPart) ?? 'unknown';
}

/** The reason for a name the simulator does not have, the same on SMTP and HTTP. */
export function unknownSimulatorName(address: InboxAddress): AddressReason {
  return addressReason('simulator_unknown_address', { address: address.inbox, domain: address.domain, names: [...SIMULATOR_NAMES] });
}

/** Why no inbox is made at the simulator's domain: its names are fixed and need no making. */
export function simulatorDomainNotForInboxes(domain: string): AddressReason {
  return addressReason('simulator_domain', { domain, names: [...SIMULATOR_NAMES] });
}
