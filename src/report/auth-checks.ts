import { getDomain } from 'tldts';
import { finding } from './penalties.js';
import type { Authentication, AuthResult, CheckStatus, ReportCheck } from './report.js';

/** A verdict's status as a check: pass passes; fail and broken records fail; anything unproven warns. */
function statusOf(result: AuthResult, dnsChecked: boolean): CheckStatus {
  if (!dnsChecked) return 'info';
  if (result === 'pass') return 'pass';
  return result === 'fail' || result === 'permerror' ? 'fail' : 'warn';
}

/** The authentication checks: one each for SPF, DKIM, DMARC, the From domain's alignment and, for forwarded mail, ARC. */
export function authenticationChecks(authentication: Authentication, envelope: { mailFrom: string | null; fromAddress: string | null }): ReportCheck[] {
  const { spf, dmarc, arc, dnsChecked } = authentication;
  const checks = [
    finding('spf', statusOf(spf.result, dnsChecked && spf.domain !== null), spf.explanation),
    dkimCheck(authentication),
    finding('dmarc', statusOf(dmarc.result, dnsChecked && dmarc.domain !== null), dmarc.explanation),
    alignmentCheck(authentication, envelope),
  ];
  if (arc.instances > 0) checks.push(finding('arc', statusOf(arc.result, dnsChecked), arc.explanation));
  return checks;
}

function dkimCheck({ dkim, dnsChecked }: Authentication): ReportCheck {
  if (dkim.length === 0) {
    return finding('dkim', 'fail', 'The message is not signed with DKIM; sign it as the From domain, as Gmail and Yahoo require of every sender since 2024.');
  }
  const broken = dkim.find((signature) => signature.result === 'fail' || signature.result === 'permerror');
  if (broken !== undefined) return finding('dkim', 'fail', broken.explanation);
  if (!dnsChecked) return finding('dkim', 'info', dkim[0]?.explanation ?? '');
  const aligned = dkim.find((signature) => signature.result === 'pass' && signature.aligned);
  if (aligned !== undefined) return finding('dkim', 'pass', aligned.explanation);
  const other = dkim.find((signature) => signature.result === 'pass') ?? dkim[0];
  return finding('dkim', 'warn', other?.explanation ?? '');
}

/**
 * Whether the From address shares its organisational domain with a DKIM
 * signer or MAIL FROM: what DMARC demands, judged without DNS so that it
 * holds with lookups off and warns of a spoofed-looking From either way.
 */
function alignmentCheck({ dkim }: Authentication, { mailFrom, fromAddress }: { mailFrom: string | null; fromAddress: string | null }): ReportCheck {
  const fromDomain = domainOf(fromAddress);
  if (fromDomain === null) return finding('from-alignment', 'fail', 'The message has no readable From address; give it one from the domain that sends it.');
  const organisation = organisationOf(fromDomain);
  const signers = dkim.flatMap((signature) => signature.domain ?? []);
  const envelopeDomain = domainOf(mailFrom);
  const aligned = [...signers, ...(envelopeDomain === null ? [] : [envelopeDomain])]
    .some((domain) => organisationOf(domain) === organisation);
  if (aligned) return finding('from-alignment', 'pass', `The From domain ${fromDomain} matches the domain that signs or sends the message.`);
  const others = [...new Set([...signers.map((domain) => `signed by ${domain}`), envelopeDomain === null ? 'a bounce MAIL FROM' : `MAIL FROM ${envelopeDomain}`])];
  return finding('from-alignment', 'fail', `From says ${fromDomain}, but the message is ${others.join(' and ')}; sign it with DKIM as ${fromDomain}, or use a MAIL FROM under ${fromDomain}, so that receivers see the sender is who From says.`);
}

function domainOf(address: string | null): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  if (address === null || address === undefined || at < 0) return null;
  const domain = address.slice(at + 1).trim().toLowerCase();
  return domain === '' ? null : domain;
}

/** The registrable domain (mail.good.test -> good.test), as relaxed DMARC alignment compares them. */
function organisationOf(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: true }) ?? domain;
}
