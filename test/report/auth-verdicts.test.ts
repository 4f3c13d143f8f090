import type { ARCResult, DKIMResult, DMARCResult, SPFResult } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { arcVerdict, dkimVerdict, dmarcVerdict, spfVerdict, unreadSignatures } from '../../src/report/auth-verdicts.js';
import { MAX_SIGNATURES } from '../../src/report/dkim-headers.js';
import { english } from '../../src/report/sentences/sentences.js';

/**
 * Each authentication verdict's sentence, by the code and values a page says
 * it with, on results shaped as mailauth gives them; the English beside is
 * what the API's `explanation` keeps.
 */

const session = { clientIp: '192.0.2.1', helo: 'mx.good.test', tls: false, startedAt: 0 };
const spf = (result: string, comment?: string) => ({ domain: 'good.test', status: { result, comment } }) as unknown as SPFResult;
const signature = (result: string, overrides: { comment?: string; aligned?: boolean; domain?: string } = {}) => ({
  signingDomain: overrides.domain ?? 'good.test', selector: 's1',
  status: { result, comment: overrides.comment, aligned: overrides.aligned ?? true },
  signingHeaders: { keys: 'From:To:Subject' },
}) as unknown as DKIMResult;
const dmarc = (result: string, policy: string, aligned: { spf: boolean; dkim: boolean }) =>
  ({ status: { result }, policy, alignment: { spf: { result: aligned.spf }, dkim: { result: aligned.dkim } } }) as unknown as DMARCResult;

describe('SPF verdicts', () => {
  it('give each result its code, naming the domain and the client', () => {
    const codes = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperr', 'permerror'].map((result) => spfVerdict(spf(result), session, true).explanationCode);
    expect(codes).toEqual(['spf.pass', 'spf.fail', 'spf.softfail', 'spf.neutral', 'spf.none', 'spf.temperror', 'spf.broken']);
    expect(spfVerdict(spf('fail'), session, true)).toMatchObject({
      explanation: '192.0.2.1 is not allowed by good.test\'s SPF record; add it, or send through a host that is.',
      explanationValues: { domain: 'good.test', ip: '192.0.2.1' },
    });
  });

  it('name the mechanism a record needs for the client\'s address, and keep mailauth\'s comment as `why`', () => {
    expect(spfVerdict(spf('none'), { ...session, clientIp: '2001:db8::1' }, true).explanationValues).toEqual({ domain: 'good.test', ip: '2001:db8::1', mechanism: 'ip6' });
    expect(spfVerdict(spf('temperr', 'DNS timeout'), session, true)).toMatchObject({
      explanationValues: { domain: 'good.test', why: ' (DNS timeout)' },
      explanation: expect.stringContaining('could not be looked up (DNS timeout);'),
    });
  });

  it('say when there was nothing to check, or no DNS to check it with', () => {
    expect(spfVerdict(spf('pass'), null, true).explanationCode).toBe('spf.not-recorded');
    expect(spfVerdict(spf('pass'), session, false)).toMatchObject({ explanationCode: 'spf.dns-off', explanationValues: {} });
  });
});

describe('DKIM verdicts', () => {
  it('give each result its code; a changed body is a fail of its own', () => {
    const codeOf = (result: string, comment?: string) => dkimVerdict(signature(result, comment === undefined ? {} : { comment }), 'good.test', true).explanationCode;
    expect([codeOf('pass'), codeOf('fail'), codeOf('policy'), codeOf('temperr'), codeOf('permerror'), codeOf('neutral', 'no key'), codeOf('neutral', 'expired')])
      .toEqual(['dkim.pass', 'dkim.fail', 'dkim.weak-key', 'dkim.temperror', 'dkim.unreadable', 'dkim.no-key', 'dkim.unchecked']);
    expect(dkimVerdict(signature('neutral', { comment: 'body hash did not verify' }), 'good.test', true)).toMatchObject({
      result: 'fail', explanationCode: 'dkim.body-changed', explanationValues: { domain: 'good.test' },
    });
    expect(dkimVerdict(signature('fail', { comment: 'bad signature' }), 'good.test', true).explanationValues)
      .toEqual({ domain: 'good.test', why: ' (bad signature)', key: 's1._domainkey.good.test' });
  });

  it('say a passing signature of another domain does not count for DMARC, in a sentence of its own', () => {
    const verdict = dkimVerdict(signature('pass', { domain: 'esp.test', aligned: false }), 'shop.test', true);
    expect(verdict).toMatchObject({ explanationCode: 'dkim.pass-not-aligned', explanationValues: { domain: 'esp.test', fromDomain: 'shop.test' } });
    expect(verdict.explanation).toBe('The signature of esp.test verifies: nothing it covers changed since it was signed. '
      + 'It is not from the From domain shop.test, so it does not count for DMARC; sign as shop.test as well.');
  });

  it('name a signature without a domain by a phrase', () => {
    const verdict = dkimVerdict(signature('neutral', { domain: '' }), 'good.test', false);
    expect(verdict.explanationValues).toEqual({ domain: { code: 'dkim.unnamed-domain', values: {} } });
    expect(verdict.explanation).toContain('the key of an unnamed domain was not fetched');
  });

  it('count the signatures past the checked ones, and say which headers cannot be read', () => {
    expect(unreadSignatures(1, 3).map((verdict) => [verdict.explanationCode, verdict.explanationValues])).toEqual([
      ['dkim.unreadable-header', {}],
      ['dkim.too-many', { count: 3, limit: MAX_SIGNATURES }],
    ]);
  });
});

describe('DMARC verdicts', () => {
  it('say which of DKIM and SPF passed, and what the policy tells receivers to do', () => {
    const codeOf = (result: string, policy: string, aligned: { spf: boolean; dkim: boolean }) => dmarcVerdict(dmarc(result, policy, aligned), 'good.test', true).explanationCode;
    expect([
      codeOf('pass', 'reject', { spf: true, dkim: true }), codeOf('pass', 'none', { spf: false, dkim: true }), codeOf('pass', 'none', { spf: true, dkim: false }),
      codeOf('fail', 'reject', { spf: false, dkim: false }), codeOf('fail', 'quarantine', { spf: false, dkim: false }), codeOf('fail', 'x', { spf: false, dkim: false }),
      codeOf('none', 'none', { spf: false, dkim: false }), codeOf('temperr', 'none', { spf: false, dkim: false }), codeOf('permerror', 'none', { spf: false, dkim: false }),
    ]).toEqual([
      'dmarc.pass-dkim-spf', 'dmarc.pass-dkim', 'dmarc.pass-spf', 'dmarc.fail-reject', 'dmarc.fail-quarantine', 'dmarc.fail-none',
      'dmarc.none', 'dmarc.temperror', 'dmarc.broken',
    ]);
    expect(dmarcVerdict(dmarc('pass', 'quarantine', { spf: true, dkim: false }), 'good.test', true).explanationValues).toEqual({ domain: 'good.test', policy: 'quarantine' });
  });

  it('say when there is no From to apply it to, or no DNS', () => {
    expect(dmarcVerdict(false, null, true).explanationCode).toBe('dmarc.no-from');
    expect(dmarcVerdict(dmarc('pass', 'reject', { spf: true, dkim: true }), 'good.test', false).explanationCode).toBe('dmarc.dns-off');
  });
});

describe('ARC verdicts', () => {
  it('count the seals of a chain that verifies or does not', () => {
    const chain = (result: string, i: number) => ({ i, status: { result, comment: result === 'fail' ? 'bad seal' : undefined } }) as unknown as ARCResult;
    expect(arcVerdict(false, true)).toMatchObject({ explanationCode: 'arc.none', explanationValues: {} });
    expect(arcVerdict(chain('pass', 2), false).explanationCode).toBe('arc.dns-off');
    expect(arcVerdict(chain('pass', 2), true)).toMatchObject({ explanationCode: 'arc.pass', explanationValues: { count: 2 } });
    const broken = arcVerdict(chain('fail', 1), true);
    expect(broken).toMatchObject({ explanationCode: 'arc.fail', explanationValues: { count: 1, why: ' (bad seal)' } });
    expect(english({ code: broken.explanationCode, values: broken.explanationValues })).toBe(broken.explanation);
  });
});
