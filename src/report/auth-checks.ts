import { domainOfAddress, registrableDomain } from './domains.js';
import { finding } from './penalties.js';
import type { Authentication, AuthResult, CheckStatus, DkimVerdict, ReportCheck } from './report.js';

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

/**
 * A passing signature of the From domain is what receivers look for; one that
 * fails beside it is ignored, as RFC 6376 says (mail signed both by its
 * domain and by its email service is common), and only mentioned.
 */
function dkimCheck({ dkim, dnsChecked }: Authentication): ReportCheck {
  if (dkim.length === 0) {
    return finding('dkim', 'fail', 'The message is not signed with DKIM; sign it as the From domain, as Gmail and Yahoo require of every sender since 2024.');
  }
  const broken = dkim.find(isBroken);
  const aligned = dkim.find((signature) => signature.result === 'pass' && signature.aligned);
  if (aligned !== undefined) {
    const aside = broken === undefined ? '' : ` Another signature is broken and ignored: ${broken.explanation}`;
    return finding('dkim', 'pass', aligned.explanation + aside);
  }
  if (broken !== undefined) return finding('dkim', 'fail', broken.explanation);
  if (!dnsChecked) return finding('dkim', 'info', dkim[0]?.explanation ?? '');
  const other = dkim.find((signature) => signature.result === 'pass') ?? dkim[0];
  return finding('dkim', 'warn', other?.explanation ?? '');
}

/** A signature known not to hold: it does not verify, or cannot be read (both told without DNS when the body changed). */
function isBroken(signature: DkimVerdict): boolean {
  return signature.result === 'fail' || signature.result === 'permerror';
}

/**
 * Whether the From address shares its organisational domain with a DKIM
 * signer or MAIL FROM: what DMARC demands, judged without DNS so that it
 * holds with lookups off and warns of a spoofed-looking From either way.
 */
function alignmentCheck({ dkim }: Authentication, { mailFrom, fromAddress }: { mailFrom: string | null; fromAddress: string | null }): ReportCheck {
  const fromDomain = domainOfAddress(fromAddress);
  if (fromDomain === null) return finding('from-alignment', 'fail', 'The message has no readable From address; give it one from the domain that sends it.');
  const organisation = registrableDomain(fromDomain);
  // A broken signature proves nothing: anyone can write d=bank.test.
  const signers = dkim.filter((signature) => !isBroken(signature)).flatMap((signature) => signature.domain ?? []);
  const envelopeDomain = domainOfAddress(mailFrom);
  const aligned = [...signers, ...(envelopeDomain === null ? [] : [envelopeDomain])]
    .some((domain) => registrableDomain(domain) === organisation);
  if (aligned) return finding('from-alignment', 'pass', `The From domain ${fromDomain} matches the domain that signs or sends the message.`);
  const others = [...new Set([...signers.map((domain) => `signed by ${domain}`), envelopeDomain === null ? 'a bounce MAIL FROM' : `MAIL FROM ${envelopeDomain}`])];
  return finding('from-alignment', 'fail', `From says ${fromDomain}, but the message is ${others.join(' and ')}; sign it with DKIM as ${fromDomain}, or use a MAIL FROM under ${fromDomain}, so that receivers see the sender is who From says.`);
}
