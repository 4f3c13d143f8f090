import { z } from '@hono/zod-openapi';
import { checkAddress, isAcceptedDomain, type DomainPolicy } from '../../mail/address/address.js';
import { simulatorNameOf, unknownSimulatorName } from '../../mail/address/simulator-names.js';
import { ApiProblem } from '../problem.js';
import { EXAMPLE_ADDRESS } from '../openapi/examples.js';

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
 * The inbox an `{address}` path parameter names: the same rules as SMTP, so
 * `Name+Tag@Domain` reads inbox `name@domain`, and a name the failure
 * simulator does not have is refused with the sentence SMTP gives.
 */
export function inboxFromParam(param: string, domains: DomainPolicy): string {
  const check = checkAddress(param, { smtpUtf8: true });
  if (!check.ok) throw new ApiProblem(400, 'Invalid address', check.reason, { code: 'invalid_address' });
  if (!isAcceptedDomain(check.address.domain, domains)) {
    throw new ApiProblem(400, 'Domain not accepted', `This server does not take mail for ${check.address.domain}, so that inbox can never receive anything; use an address at ${domains.domains.join(' or ')}.`, { code: 'domain_not_accepted' });
  }
  if (simulatorNameOf(check.address, domains) === 'unknown') {
    throw new ApiProblem(400, 'Invalid address', unknownSimulatorName(check.address), { code: 'invalid_address' });
  }
  return check.address.inbox;
}
