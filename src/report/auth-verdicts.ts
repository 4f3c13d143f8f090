import { isIPv6 } from 'node:net';
import type { ARCResult, AuthStatus, DKIMResult, DMARCResult, SPFResult } from 'mailauth';
import { MAX_SIGNATURES } from './dkim-headers.js';
import type { IntakeSession } from '../store/message.js';
import type { ArcVerdict, AuthResult, DkimVerdict, DmarcVerdict, SpfVerdict } from './report.js';

/*
 * mailauth's results in the report's words: one RFC 8601 result and a
 * sentence each, which for anything but pass says what to fix. mailauth's own
 * comments are terse ("no key", "bad signature"); they are kept in
 * parentheses where they add a detail.
 */

const DNS_OFF = 'DNS lookups are switched off on this server (--dns-servers off)';
// An h= list is the sender's to write; a real one names a dozen or two.
const MAX_SIGNED_HEADERS = 64;

/** mailauth's result words as RFC 8601 has them. */
function rfcResult(status: AuthStatus | undefined): AuthResult {
  const result = status?.result ?? 'none';
  if (result === 'temperr') return 'temperror';
  if (result === 'skipped') return 'none';
  return result;
}

function detail(status: AuthStatus | undefined): string {
  const comment = status?.comment;
  return typeof comment === 'string' && comment !== '' ? ` (${comment.slice(0, 200)})` : '';
}

/** SPF for the client IP, HELO and MAIL FROM. */
export function spfVerdict(spf: SPFResult | false, session: IntakeSession | null, dnsChecked: boolean): SpfVerdict {
  if (session === null) {
    return { result: 'none', domain: null, explanation: 'This message was stored before Ephemail recorded the sending host, so SPF could not be checked; send it again.' };
  }
  const domain = spf === false ? null : spf.domain;
  if (!dnsChecked) return { result: 'none', domain, explanation: `${DNS_OFF}, so SPF was not checked.` };
  const result = spf === false ? 'none' : rfcResult(spf.status);
  const ip = session.clientIp;
  const name = domain ?? session.helo;
  return { result, domain, explanation: spfExplanation(result, ip, name, spf === false ? '' : detail(spf.status)) };
}

function spfExplanation(result: AuthResult, ip: string, domain: string, why: string): string {
  switch (result) {
    case 'pass': return `${domain}'s SPF record allows ${ip} to send its mail.`;
    case 'fail': return `${ip} is not allowed by ${domain}'s SPF record; add it, or send through a host that is.`;
    case 'softfail': return `${domain}'s SPF record says ${ip} is probably not allowed (~all); add it to the record, or send through a host that is.`;
    case 'neutral': return `${domain}'s SPF record neither allows nor forbids ${ip} (?all); list the hosts that send for ${domain} in it.`;
    case 'none': return `${domain} publishes no SPF record; publish one that lists the hosts sending its mail, e.g. "v=spf1 ${isIPv6(ip) ? 'ip6' : 'ip4'}:${ip} -all".`;
    case 'temperror': return `${domain}'s SPF record could not be looked up${why}; receivers will retry or treat the mail as unverified, so check that its DNS servers answer.`;
    default: return `${domain}'s SPF record is broken${why}; fix its syntax and keep it within 10 DNS lookups.`;
  }
}

/** One DKIM signature. A body changed after signing is a fail, as RFC 6376 has it; mailauth calls it neutral. */
export function dkimVerdict(signature: DKIMResult, fromDomain: string | null, dnsChecked: boolean): DkimVerdict {
  const domain = signature.signingDomain || null;
  const selector = signature.selector ?? null;
  const bodyChanged = signature.status.comment === 'body hash did not verify';
  const base = {
    domain, selector,
    aligned: Boolean(signature.status.aligned),
    signedHeaders: signedHeaderNames(signature),
  };
  const who = domain ?? 'an unnamed domain';
  if (bodyChanged) {
    return { ...base, result: 'fail', explanation: `The body was changed after ${who} signed it (its hash does not match the signature); sign as the last step, and make sure no relay adds footers, tracking or line wraps after.` };
  }
  if (!dnsChecked) return { ...base, result: 'none', explanation: `${DNS_OFF}, so the key of ${who} was not fetched; the body is unchanged since it was signed.` };
  const result = rfcResult(signature.status);
  const key = `${selector ?? '(no selector)'}._domainkey.${who}`;
  return { ...base, result, explanation: dkimExplanation(result, who, key, detail(signature.status)) + alignmentNote(result, base.aligned, fromDomain) };
}

function dkimExplanation(result: AuthResult, domain: string, key: string, why: string): string {
  switch (result) {
    case 'pass': return `The signature of ${domain} verifies: nothing it covers changed since it was signed.`;
    case 'fail': return `The signature of ${domain} does not verify${why}; check that the key published at ${key} is the one the signer uses, and that no relay rewrites signed headers.`;
    case 'policy': return `The signature of ${domain} uses a key receivers refuse${why}; use an RSA key of 2048 bits.`;
    case 'temperror': return `The key at ${key} could not be looked up${why}; check that the DNS servers of ${domain} answer.`;
    case 'permerror': return `The DKIM-Signature header cannot be read${why}; fix the signer.`;
    default: return why.includes('no key')
      ? `The signature of ${domain} could not be checked: there is no key at ${key}; publish the public key there.`
      : `The signature of ${domain} could not be checked${why}; check its tags (expiry, algorithm) and the key record at ${key}.`;
  }
}

function alignmentNote(result: AuthResult, aligned: boolean, fromDomain: string | null): string {
  if (result !== 'pass' || aligned || fromDomain === null) return '';
  return ` It is not from the From domain ${fromDomain}, so it does not count for DMARC; sign as ${fromDomain} as well.`;
}

/** Header names a signature covers, lower case, from its `h=` tag as mailauth read it. */
function signedHeaderNames(signature: DKIMResult): string[] {
  const keys: unknown = (signature as { signingHeaders?: { keys?: unknown } }).signingHeaders?.keys;
  if (typeof keys !== 'string') return [];
  return keys.split(':').map((name) => name.trim().toLowerCase()).filter((name) => name !== '').slice(0, MAX_SIGNED_HEADERS);
}

/**
 * Verdicts for DKIM-Signature headers mailauth did not read (no d= or s=,
 * an unknown a= or c=; it leaves them out of its results) and for those past
 * the first MAX_SIGNATURES, which were not checked.
 */
export function unreadSignatures(unreadable: number, dropped: number): DkimVerdict[] {
  const blank = { domain: null, selector: null, aligned: false, signedHeaders: [] };
  const unread: DkimVerdict[] = Array.from({ length: Math.max(0, unreadable) }, () => ({
    ...blank, result: 'permerror',
    explanation: 'A DKIM-Signature header cannot be read: it lacks d= or s=, or names an algorithm or canonicalization receivers do not know; fix the signer, or remove the header.',
  }));
  if (dropped > 0) {
    unread.push({
      ...blank, result: 'none',
      explanation: `${dropped} more DKIM-Signature header(s) past the first ${MAX_SIGNATURES} were not checked; receivers check only a few, so sign once, or twice at most (your domain and your email service's).`,
    });
  }
  return unread;
}

/** DMARC for the From domain. */
export function dmarcVerdict(dmarc: DMARCResult | false, fromDomain: string | null, dnsChecked: boolean): DmarcVerdict {
  const noAlignment = { spf: false, dkim: false };
  if (dmarc === false || fromDomain === null) {
    return { result: 'none', domain: null, policy: null, alignment: noAlignment, explanation: 'The message has no readable From address, so DMARC cannot apply; give it one.' };
  }
  if (!dnsChecked) return { result: 'none', domain: fromDomain, policy: null, alignment: noAlignment, explanation: `${DNS_OFF}, so DMARC was not checked.` };
  const result = rfcResult(dmarc.status);
  const policy = asPolicy(dmarc.policy);
  const alignment = { spf: Boolean(dmarc.alignment?.spf?.result), dkim: Boolean(dmarc.alignment?.dkim?.result) };
  return { result, domain: fromDomain, policy, alignment, explanation: dmarcExplanation(result, fromDomain, policy, alignment, detail(dmarc.status)) };
}

function asPolicy(policy: unknown): DmarcVerdict['policy'] {
  return policy === 'none' || policy === 'quarantine' || policy === 'reject' ? policy : null;
}

function dmarcExplanation(result: AuthResult, domain: string, policy: DmarcVerdict['policy'], alignment: DmarcVerdict['alignment'], why: string): string {
  switch (result) {
    case 'pass': {
      const by = [alignment.dkim ? 'DKIM' : '', alignment.spf ? 'SPF' : ''].filter(Boolean).join(' and ');
      return `The message passes ${domain}'s DMARC policy (p=${policy ?? 'none'}): ${by} passed for ${domain} itself.`;
    }
    case 'fail': {
      const fate = policy === 'reject' ? 'refuse it' : policy === 'quarantine' ? 'put it in spam' : 'deliver it but report it to the domain';
      return `Neither SPF nor DKIM passed for the From domain ${domain}, and its DMARC policy (p=${policy ?? 'none'}) tells receivers to ${fate}; sign it with DKIM as ${domain}, or send it with a MAIL FROM under ${domain} through a host its SPF allows.`;
    }
    case 'none': return `${domain} publishes no DMARC policy; Gmail and Yahoo require one of bulk senders since 2024: publish at least "v=DMARC1; p=none" at _dmarc.${domain}.`;
    case 'temperror': return `${domain}'s DMARC policy could not be looked up${why}; check that its DNS servers answer.`;
    default: return `${domain}'s DMARC record is broken${why}; fix it at _dmarc.${domain}.`;
  }
}

/** The ARC chain, which only forwarded mail carries. */
export function arcVerdict(arc: ARCResult | false, dnsChecked: boolean): ArcVerdict {
  const instances = arc === false || arc.i === false ? 0 : arc.i;
  if (instances === 0) return { result: 'none', instances, explanation: 'No forwarder sealed this message with ARC; ARC matters only for mail forwarded by lists or relays that change it.' };
  if (!dnsChecked) return { result: 'none', instances, explanation: `${DNS_OFF}, so the ARC seals were not checked.` };
  const result = rfcResult(arc === false ? undefined : arc.status);
  const why = arc === false ? '' : detail(arc.status);
  const explanation = result === 'pass'
    ? `The ARC chain of ${instances} seal(s) verifies: receivers may trust what the forwarders recorded.`
    : `The ARC chain of ${instances} seal(s) does not verify${why}; a forwarder's seal is broken or its key is missing.`;
  return { result, instances, explanation };
}
