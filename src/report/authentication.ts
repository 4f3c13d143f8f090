import { authenticate, type AuthenticateResult, type DKIMResult } from 'mailauth';
import type { IntakeSession } from '../store/message.js';
import type { DnsLookup } from './dns-resolver.js';
import { arcVerdict, dkimVerdict, dmarcVerdict, spfVerdict, unreadSignatures } from './auth-verdicts.js';
import { capSignatures } from './dkim-headers.js';
import { domainOfAddress } from './domains.js';
import type { Authentication, AuthResult } from './report.js';

/** What the SMTP session handed over besides the message: the inputs of SPF. */
export interface IntakeFacts {
  /** MAIL FROM, or null for a bounce (`<>`). */
  mailFrom: string | null;
  /** Null for a copy stored before intake recorded sessions. */
  session: IntakeSession | null;
}

/** How the report reaches DNS: a lookup, or null when lookups are switched off. */
export interface AuthenticationOptions {
  lookup: DnsLookup | null;
  /** This server's name, as receivers name themselves in Authentication-Results. */
  receiver: string;
}

// mailauth would otherwise fall back to the system's resolvers; with lookups
// off it still reads every signature and hashes the body, which need no DNS.
const noLookups: DnsLookup = (name) => Promise.reject(Object.assign(new Error(`DNS lookups are off; ${name} was not looked up`), { code: 'EDNSOFF' }));

/**
 * SPF, DKIM, DMARC and ARC, as a receiving provider would check them, each
 * with a sentence saying what it means and what to fix. Never rejects for a
 * DNS failure: that is a temperror in the result.
 */
export async function authenticateMessage(message: Buffer, intake: IntakeFacts, options: AuthenticationOptions): Promise<Authentication> {
  const session = intake.session;
  const { raw, kept, dropped } = capSignatures(message);
  const result: AuthenticateResult = await authenticate(raw, {
    ...(session === null ? {} : { ip: session.clientIp, helo: session.helo }),
    ...(intake.mailFrom === null ? {} : { sender: intake.mailFrom }),
    mta: options.receiver,
    resolver: (options.lookup ?? noLookups) as never,
    disableBimi: true,
  });
  const dnsChecked = options.lookup !== null;
  const fromDomain = domainOfAddress(result.dkim.headerFrom?.[0]);
  const signatures = (result.dkim.results ?? []).filter(isSignature);
  return {
    spf: spfVerdict(result.spf, session, dnsChecked),
    dkim: [
      ...signatures.map((signature) => dkimVerdict(signature, fromDomain, dnsChecked)),
      ...unreadSignatures(kept - signatures.length, dropped),
    ],
    dmarc: dmarcVerdict(result.dmarc, fromDomain, dnsChecked),
    arc: arcVerdict(result.arc, dnsChecked),
    dnsChecked,
  };
}

/** mailauth reports an unsigned message as one result with no signing domain; the report lists signatures only. */
function isSignature(result: DKIMResult): boolean {
  return Boolean(result.signingDomain) || (result.status.result as AuthResult) !== 'none';
}
