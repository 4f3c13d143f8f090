import { z } from '@hono/zod-openapi';
import { checkAddress, isAcceptedDomain, type DomainPolicy } from '../../mail/address/address.js';
import { addressReason, type AddressReason } from '../../mail/address/reasons.js';
import { simulatorNameOf, unknownSimulatorName } from '../../mail/address/simulator-names.js';
import { ApiProblem } from '../problem.js';
import { EXAMPLE_ADDRESS } from '../openapi/examples.js';
import type { ProblemCode } from './types.js';

type AddressProblemCode = Extract<ProblemCode, 'invalid_address' | 'invalid_name' | 'domain_not_accepted'>;

const TITLES: Record<AddressProblemCode, string> = {
  invalid_address: 'Invalid address', invalid_name: 'Invalid name', domain_not_accepted: 'Domain not accepted',
};

/**
 * The `{address}` path parameter. It is read by `inboxFromParam` in the
 * handler rather than here, since whether its domain is accepted is the
 * server's configuration, not the request's shape.
 */
export const addressParam = z.string().openapi({
  param: {
    name: 'address', in: 'path', example: EXAMPLE_ADDRESS,
    description: 'The inbox address, URL-encoded (`@` as `%40`). Case-insensitive, and `name+tag@domain` reads inbox `name@domain`. Its domain must be accepted by the server. '
      + 'The example `example@ephemail.test` is a chosen name, and chosen names are public: anyone who uses it reads the same inbox. For mail of your own, create a random address with `POST /api/inboxes`.',
  },
});

/**
 * The inbox an `{address}` path parameter names: normalised as SMTP
 * recipients are, so `Name+Tag@Domain` reads inbox `name@domain`, and a name
 * the failure simulator does not have is refused with the sentence SMTP
 * gives. Letters of any script are allowed: a path only reads an inbox.
 */
export function inboxFromParam(param: string, domains: DomainPolicy): string {
  const check = checkAddress(param, { smtpUtf8: true });
  if (!check.ok) throw addressProblem('invalid_address', check.reason);
  const { domain } = check.address;
  if (!isAcceptedDomain(domain, domains)) {
    throw addressProblem('domain_not_accepted', addressReason('address_domain_not_accepted', { domain, domains: domains.domains }));
  }
  if (simulatorNameOf(check.address, domains) === 'unknown') throw addressProblem('invalid_address', unknownSimulatorName(check.address));
  return check.address.inbox;
}

/** The 400 for an address, name or domain a rule refuses: its sentence as `detail`, with its code and values beside. */
export function addressProblem(code: AddressProblemCode, reason: AddressReason): ApiProblem {
  return new ApiProblem(400, TITLES[code], reason.text, { code, reason });
}
