import { domainOfAddress, registrableDomain } from './domains.js';
import { explanationOf } from './auth-verdicts.js';
import { finding } from './penalties.js';
import type { Authentication, AuthResult, CheckStatus, DkimVerdict, ReportCheck } from './report.js';
import { sentence } from './sentences/sentences.js';

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
    finding('spf', statusOf(spf.result, dnsChecked && spf.domain !== null), explanationOf(spf)),
    dkimCheck(authentication),
    finding('dmarc', statusOf(dmarc.result, dnsChecked && dmarc.domain !== null), explanationOf(dmarc)),
    alignmentCheck(authentication, envelope),
  ];
  if (arc.instances > 0) checks.push(finding('arc', statusOf(arc.result, dnsChecked), explanationOf(arc)));
  return checks;
}

/**
 * A passing signature of the From domain is what receivers look for; one that
 * fails beside it is ignored, as RFC 6376 says (mail signed both by its
 * domain and by its email service is common), and only mentioned.
 */
function dkimCheck({ dkim, dnsChecked }: Authentication): ReportCheck {
  const [first] = dkim;
  if (first === undefined) return finding('dkim', 'fail', sentence('dkim.unsigned'));
  const broken = dkim.find(isBroken);
  const aligned = dkim.find((signature) => signature.result === 'pass' && signature.aligned);
  if (aligned !== undefined) {
    const aside = broken === undefined ? [] : [sentence('dkim.other-broken', { explanation: explanationOf(broken) })];
    return finding('dkim', 'pass', explanationOf(aligned), aside);
  }
  if (broken !== undefined) return finding('dkim', 'fail', explanationOf(broken));
  if (!dnsChecked) return finding('dkim', 'info', explanationOf(first));
  const other = dkim.find((signature) => signature.result === 'pass') ?? first;
  return finding('dkim', 'warn', explanationOf(other));
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
  if (fromDomain === null) return finding('from-alignment', 'fail', sentence('from-alignment.no-from'));
  const organisation = registrableDomain(fromDomain);
  // A broken signature proves nothing: anyone can write d=bank.test.
  const signers = dkim.filter((signature) => !isBroken(signature)).flatMap((signature) => signature.domain ?? []);
  const envelopeDomain = domainOfAddress(mailFrom);
  const aligned = [...signers, ...(envelopeDomain === null ? [] : [envelopeDomain])]
    .some((domain) => registrableDomain(domain) === organisation);
  if (aligned) return finding('from-alignment', 'pass', sentence('from-alignment.pass', { domain: fromDomain }));
  const senders = [
    ...[...new Set(signers)].map((domain) => sentence('from-alignment.signed-by', { domain })),
    envelopeDomain === null ? sentence('from-alignment.bounce') : sentence('from-alignment.mail-from', { domain: envelopeDomain }),
  ];
  return finding('from-alignment', 'fail', sentence('from-alignment.fail', { domain: fromDomain, senders }));
}
