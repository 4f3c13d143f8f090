import { checkAddress, isAcceptedDomain, type DomainPolicy } from '../../mail/address/address.js';
import { ApiProblem } from '../problem.js';

/**
 * The inbox an `{address}` path parameter names: the same rules as SMTP, so
 * `Name+Tag@Domain` reads inbox `name@domain`.
 */
export function inboxFromParam(param: string, domains: DomainPolicy): string {
  const check = checkAddress(param, { smtpUtf8: true });
  if (!check.ok) throw new ApiProblem(400, 'Invalid address', check.reason);
  if (!isAcceptedDomain(check.address.domain, domains)) {
    throw new ApiProblem(400, 'Domain not accepted', `This server does not take mail for ${check.address.domain}, so that inbox can never receive anything; use an address at ${domains.domains.join(' or ')}.`);
  }
  return check.address.inbox;
}
