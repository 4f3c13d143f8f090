import { describe, expect, it } from 'vitest';
import { authenticationChecks } from '../../src/report/auth-checks.js';
import { CHECK_PENALTIES } from '../../src/report/penalties.js';
import type { Authentication, DkimVerdict } from '../../src/report/report.js';
import { scoreOf, worstFirst } from '../../src/report/score.js';

const signature = (overrides: Partial<DkimVerdict> = {}): DkimVerdict => ({
  result: 'pass', domain: 'good.test', selector: 's1', aligned: true, signedHeaders: ['from'], explanation: 'verifies.', ...overrides,
});

const authentication = (overrides: Partial<Authentication> = {}): Authentication => ({
  spf: { result: 'pass', domain: 'good.test', explanation: 'spf passes.' },
  dkim: [signature()],
  dmarc: { result: 'pass', domain: 'good.test', policy: 'reject', alignment: { spf: true, dkim: true }, explanation: 'dmarc passes.' },
  arc: { result: 'none', instances: 0, explanation: 'no arc.' },
  dnsChecked: true,
  ...overrides,
});

const statuses = (auth: Authentication, envelope = { mailFrom: 'bounce@good.test', fromAddress: 'hello@good.test' }) =>
  Object.fromEntries(authenticationChecks(auth, envelope).map((check) => [check.id, check.status]));

describe('authentication checks', () => {
  it('pass for aligned, signed mail, cost nothing, and leave ARC out when there is none', () => {
    const checks = authenticationChecks(authentication(), { mailFrom: 'bounce@mail.good.test', fromAddress: 'hello@good.test' });
    expect(checks.map((check) => [check.id, check.status, check.penalty])).toEqual([
      ['spf', 'pass', 0], ['dkim', 'pass', 0], ['dmarc', 'pass', 0], ['from-alignment', 'pass', 0],
    ]);
  });

  it('fail an unsigned message, and warn when only another domain signed', () => {
    expect(statuses(authentication({ dkim: [] })).dkim).toBe('fail');
    expect(statuses(authentication({ dkim: [signature({ domain: 'esp.test', aligned: false })] })).dkim).toBe('warn');
    expect(statuses(authentication({ dkim: [signature({ domain: 'esp.test', aligned: false }), signature({ result: 'fail', explanation: 'broken.' })] })).dkim).toBe('fail');
  });

  it('pass an aligned signature beside a broken one, which RFC 6376 says to ignore, and mention it', () => {
    const [, dkim] = authenticationChecks(authentication({ dkim: [signature({ result: 'fail', domain: 'esp.test', explanation: 'The body was changed.' }), signature()] }),
      { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    expect(dkim).toMatchObject({ status: 'pass', penalty: 0, message: 'verifies. Another signature is broken and ignored: The body was changed.' });
  });

  it('do not count a broken signature of the From domain as alignment: anyone can write d=', () => {
    const forged = authentication({ dkim: [signature({ result: 'fail', domain: 'bank.test' })] });
    expect(statuses(forged, { mailFrom: 'x@spammer.test', fromAddress: 'ceo@bank.test' })['from-alignment']).toBe('fail');
  });

  it('judge From against DKIM and MAIL FROM by registrable domain, without DNS', () => {
    const offline = authentication({ dnsChecked: false, dkim: [signature({ domain: 'esp.test', aligned: false, result: 'none' })] });
    expect(statuses(offline, { mailFrom: 'bounce@bounces.good.test', fromAddress: 'ceo@good.test' })['from-alignment']).toBe('pass');
    const spoofed = authenticationChecks(offline, { mailFrom: null, fromAddress: 'ceo@bank.test' }).find((check) => check.id === 'from-alignment');
    expect(spoofed).toMatchObject({ status: 'fail', penalty: CHECK_PENALTIES['from-alignment'] });
    expect(spoofed?.message).toBe('From says bank.test, but the message is signed by esp.test and a bounce MAIL FROM; sign it with DKIM as bank.test, or use a MAIL FROM under bank.test, so that receivers see the sender is who From says.');
  });

  it('only inform, at no cost, when lookups are off', () => {
    const checks = authenticationChecks(authentication({ dnsChecked: false, dkim: [signature({ result: 'none' })] }), { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    expect(checks.filter((check) => check.id !== 'from-alignment').every((check) => check.status === 'info' && check.penalty === 0)).toBe(true);
  });

  it('warn on temperror and unproven results, fail on permerror', () => {
    const auth = authentication({
      spf: { result: 'temperror', domain: 'good.test', explanation: 'x.' },
      dmarc: { result: 'permerror', domain: 'good.test', policy: null, alignment: { spf: false, dkim: false }, explanation: 'y.' },
      arc: { result: 'fail', instances: 2, explanation: 'z.' },
    });
    expect(statuses(auth)).toMatchObject({ spf: 'warn', dmarc: 'fail', arc: 'fail' });
  });
});

describe('the score', () => {
  it('is 10 less the penalties, to one decimal and never below 0', () => {
    const check = (penalty: number) => ({ id: 'x', status: 'fail' as const, message: 'm.', penalty });
    expect(scoreOf([])).toBe(10);
    expect(scoreOf([check(1.5), check(0.25)])).toBe(8.3);
    expect(scoreOf([check(7), check(7)])).toBe(0);
  });

  it('ranks a spoofed, unsigned message below a signed, aligned one', () => {
    const good = authenticationChecks(authentication(), { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    const spoofed = authenticationChecks(authentication({
      spf: { result: 'fail', domain: 'bank.test', explanation: 'x.' },
      dkim: [],
      dmarc: { result: 'fail', domain: 'bank.test', policy: 'reject', alignment: { spf: false, dkim: false }, explanation: 'y.' },
    }), { mailFrom: 'a@bank.test', fromAddress: 'a@bank.test' });
    expect(scoreOf(good)).toBe(10);
    expect(scoreOf(spoofed)).toBeLessThanOrEqual(4);
  });

  it('lists checks worst first, keeping their order within a status', () => {
    const make = (id: string, status: 'pass' | 'warn' | 'fail' | 'info') => ({ id, status, message: '.', penalty: 0 });
    expect(worstFirst([make('a', 'pass'), make('b', 'warn'), make('c', 'info'), make('d', 'fail'), make('e', 'warn')]).map((check) => check.id))
      .toEqual(['d', 'b', 'e', 'c', 'a']);
  });
});
