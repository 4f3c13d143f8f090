import { checkAddress, checkLocalPart, type AddressCheck, type DomainChecker } from './address.js';

/**
 * The one rule for an inbox that someone names: "Choose a name" on the page,
 * `POST /api/inboxes` and `GET /api/addresses/check` with a `localPart`, and
 * `RCPT TO` on the SMTP port. Only Latin letters, digits, dot, hyphen,
 * underscore and plus, so anyone can type the name, whatever the client
 * negotiated. The name is checked on its own first, so its reason speaks of
 * the name (an `@` in it is a character that is not allowed, not a second
 * `@` of the address), then the whole address: the domain and the length.
 */
export function checkChosenAddress(localPart: string, domain: string, options: { checkDomain?: DomainChecker } = {}): AddressCheck {
  const reason = checkLocalPart(localPart, { smtpUtf8: false });
  if (reason !== null) return { ok: false, reason };
  return checkAddress(`${localPart}@${domain}`, { ...options, smtpUtf8: false });
}

/**
 * `checkChosenAddress` for an address written whole, as a client writes it
 * in `RCPT TO`: the name is everything before its last `@` (a domain never
 * holds one), so a name the page would refuse gets the page's very reason.
 * Text without an `@` is not an address; `checkAddress` says why.
 */
export function checkWrittenAddress(written: string, options: { checkDomain?: DomainChecker } = {}): AddressCheck {
  const at = written.lastIndexOf('@');
  if (at < 0) return checkAddress(written, { smtpUtf8: false });
  return checkChosenAddress(written.slice(0, at), written.slice(at + 1), options);
}
