import { isAcceptedDomain, type DomainChecker, type DomainPolicy, type InboxAddress } from '../mail/address/address.js';
import { checkWrittenAddress } from '../mail/address/chosen-address.js';
import type { RejectionReason } from '../runtime/metrics.js';
import { SmtpReply } from './replies.js';

/** What `RCPT TO` makes of a recipient: the inbox it lands in, or the refusal with its metric reason. */
export type RecipientVerdict =
  | { ok: true; address: InboxAddress }
  | { ok: false; reason: Extract<RejectionReason, 'invalid_recipient' | 'domain_not_accepted'>; reply: SmtpReply };

/**
 * Judges a recipient as the client wrote it (src/smtp/recipient-line.ts) by
 * the rule "Choose a name" and the API follow (`checkWrittenAddress`): a name
 * they refuse gets 553 5.1.3 with the API's sentence, and an accepted one
 * lands in the inbox the API names. A domain this server does not take gets
 * 550 5.1.2.
 */
export function judgeRecipient(written: string, domains: DomainPolicy, checkDomain: DomainChecker): RecipientVerdict {
  // RFC 5321 4.5.1: "postmaster" alone must be accepted; it is the default domain's postmaster inbox.
  const named = written.toLowerCase() === 'postmaster' ? `postmaster@${domains.defaultDomain}` : written;
  const check = checkWrittenAddress(named, { checkDomain });
  if (!check.ok) return { ok: false, reason: 'invalid_recipient', reply: new SmtpReply(553, '5.1.3', check.reason.text) };
  const { domain } = check.address;
  if (!isAcceptedDomain(domain, domains)) {
    const reply = new SmtpReply(550, '5.1.2', `This server does not take mail for ${domain}; use an address at ${domains.domains.join(' or ')}.`);
    return { ok: false, reason: 'domain_not_accepted', reply };
  }
  return { ok: true, address: check.address };
}
