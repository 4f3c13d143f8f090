import { isIPv6 } from 'node:net';
import type { ARCResult, AuthStatus, DKIMResult, DMARCResult, SPFResult } from 'mailauth';
import { MAX_SIGNATURES } from './dkim-headers.js';
import type { IntakeSession } from '../store/message.js';
import type { ArcVerdict, AuthResult, DkimVerdict, DmarcVerdict, Explained, SpfVerdict } from './report.js';
import type { Sentence } from './sentences/sentence.js';
import { english, sentence } from './sentences/sentences.js';

/*
 * mailauth's results in the report's words: one RFC 8601 result and a
 * sentence each (src/report/sentences/auth-sentences.ts), which for anything
 * but pass says what to fix. mailauth's own comments are terse ("no key",
 * "bad signature"); they are kept in parentheses where they add a detail.
 */

// An h= list is the sender's to write; a real one names a dozen or two.
const MAX_SIGNED_HEADERS = 64;

/** A verdict's sentence, in English and as its code and values. */
export function explained(said: Sentence): Explained {
  return { explanation: english(said), explanationCode: said.code, explanationValues: said.values };
}

/** The sentence a verdict was explained with. */
export function explanationOf(verdict: Explained): Sentence {
  return { code: verdict.explanationCode, values: verdict.explanationValues };
}

/** mailauth's result words as RFC 8601 has them. */
function rfcResult(status: AuthStatus | undefined): AuthResult {
  const result = status?.result ?? 'none';
  if (result === 'temperr') return 'temperror';
  if (result === 'skipped') return 'none';
  return result;
}

// mailauth's comment as a sentence's `why`: " (no key)", or nothing.
function detail(status: AuthStatus | undefined): string {
  const comment = status?.comment;
  return typeof comment === 'string' && comment !== '' ? ` (${comment.slice(0, 200)})` : '';
}

/** SPF for the client IP, HELO and MAIL FROM. */
export function spfVerdict(spf: SPFResult | false, session: IntakeSession | null, dnsChecked: boolean): SpfVerdict {
  if (session === null) return { result: 'none', domain: null, ...explained(sentence('spf.not-recorded')) };
  const domain = spf === false ? null : spf.domain;
  if (!dnsChecked) return { result: 'none', domain, ...explained(sentence('spf.dns-off')) };
  const result = spf === false ? 'none' : rfcResult(spf.status);
  const ip = session.clientIp;
  const name = domain ?? session.helo;
  return { result, domain, ...explained(spfSentence(result, ip, name, spf === false ? '' : detail(spf.status))) };
}

function spfSentence(result: AuthResult, ip: string, domain: string, why: string): Sentence {
  switch (result) {
    case 'pass': return sentence('spf.pass', { domain, ip });
    case 'fail': return sentence('spf.fail', { domain, ip });
    case 'softfail': return sentence('spf.softfail', { domain, ip });
    case 'neutral': return sentence('spf.neutral', { domain, ip });
    case 'none': return sentence('spf.none', { domain, ip, mechanism: isIPv6(ip) ? 'ip6' : 'ip4' });
    case 'temperror': return sentence('spf.temperror', { domain, why });
    default: return sentence('spf.broken', { domain, why });
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
  const who = domain ?? sentence('dkim.unnamed-domain');
  if (bodyChanged) return { ...base, result: 'fail', ...explained(sentence('dkim.body-changed', { domain: who })) };
  if (!dnsChecked) return { ...base, result: 'none', ...explained(sentence('dkim.dns-off', { domain: who })) };
  const result = rfcResult(signature.status);
  // A DNS name, said the same in every language; mailauth leaves out signatures without d= or s=, so its placeholders are seldom seen.
  const key = `${selector ?? '(no selector)'}._domainkey.${typeof who === 'string' ? who : english(who)}`;
  const why = detail(signature.status);
  if (result === 'pass' && !base.aligned && fromDomain !== null) {
    return { ...base, result, ...explained(sentence('dkim.pass-not-aligned', { domain: who, fromDomain })) };
  }
  return { ...base, result, ...explained(dkimSentence(result, who, key, why)) };
}

function dkimSentence(result: AuthResult, domain: string | Sentence, key: string, why: string): Sentence {
  switch (result) {
    case 'pass': return sentence('dkim.pass', { domain });
    case 'fail': return sentence('dkim.fail', { domain, why, key });
    case 'policy': return sentence('dkim.weak-key', { domain, why });
    case 'temperror': return sentence('dkim.temperror', { key, why, domain });
    case 'permerror': return sentence('dkim.unreadable', { why });
    default: return why.includes('no key') ? sentence('dkim.no-key', { domain, key }) : sentence('dkim.unchecked', { domain, why, key });
  }
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
    ...blank, result: 'permerror', ...explained(sentence('dkim.unreadable-header')),
  }));
  if (dropped > 0) unread.push({ ...blank, result: 'none', ...explained(sentence('dkim.too-many', { count: dropped, limit: MAX_SIGNATURES })) });
  return unread;
}

/** DMARC for the From domain. */
export function dmarcVerdict(dmarc: DMARCResult | false, fromDomain: string | null, dnsChecked: boolean): DmarcVerdict {
  const noAlignment = { spf: false, dkim: false };
  if (dmarc === false || fromDomain === null) {
    return { result: 'none', domain: null, policy: null, alignment: noAlignment, ...explained(sentence('dmarc.no-from')) };
  }
  if (!dnsChecked) return { result: 'none', domain: fromDomain, policy: null, alignment: noAlignment, ...explained(sentence('dmarc.dns-off')) };
  const result = rfcResult(dmarc.status);
  const policy = asPolicy(dmarc.policy);
  const alignment = { spf: Boolean(dmarc.alignment?.spf?.result), dkim: Boolean(dmarc.alignment?.dkim?.result) };
  return { result, domain: fromDomain, policy, alignment, ...explained(dmarcSentence(result, fromDomain, policy, alignment, detail(dmarc.status))) };
}

function asPolicy(policy: unknown): DmarcVerdict['policy'] {
  return policy === 'none' || policy === 'quarantine' || policy === 'reject' ? policy : null;
}

function dmarcSentence(result: AuthResult, domain: string, policy: DmarcVerdict['policy'], alignment: DmarcVerdict['alignment'], why: string): Sentence {
  switch (result) {
    case 'pass': {
      const published = { domain, policy: policy ?? 'none' };
      if (alignment.dkim) return sentence(alignment.spf ? 'dmarc.pass-dkim-spf' : 'dmarc.pass-dkim', published);
      return sentence(alignment.spf ? 'dmarc.pass-spf' : 'dmarc.pass', published);
    }
    case 'fail': return sentence(policy === 'reject' ? 'dmarc.fail-reject' : policy === 'quarantine' ? 'dmarc.fail-quarantine' : 'dmarc.fail-none', { domain });
    case 'none': return sentence('dmarc.none', { domain });
    case 'temperror': return sentence('dmarc.temperror', { domain, why });
    default: return sentence('dmarc.broken', { domain, why });
  }
}

/** The ARC chain, which only forwarded mail carries. */
export function arcVerdict(arc: ARCResult | false, dnsChecked: boolean): ArcVerdict {
  const instances = arc === false || arc.i === false ? 0 : arc.i;
  if (instances === 0) return { result: 'none', instances, ...explained(sentence('arc.none')) };
  if (!dnsChecked) return { result: 'none', instances, ...explained(sentence('arc.dns-off')) };
  const result = rfcResult(arc === false ? undefined : arc.status);
  const why = arc === false ? '' : detail(arc.status);
  const said = result === 'pass' ? sentence('arc.pass', { count: instances }) : sentence('arc.fail', { count: instances, why });
  return { result, instances, ...explained(said) };
}
