import { describe, expect, it } from 'vitest';
import { authenticationChecks } from '../../src/report/auth-checks.js';
import { explained } from '../../src/report/auth-verdicts.js';
import { CHECK_PENALTIES, finding } from '../../src/report/penalties.js';
import type { Authentication, DkimVerdict, ReportCheck } from '../../src/report/report.js';
import { scoreOf, worstFirst } from '../../src/report/score.js';
import { sentence } from '../../src/report/sentences/sentences.js';

const verifies = explained(sentence('dkim.pass', { domain: 'good.test' }));
const bodyChanged = explained(sentence('dkim.body-changed', { domain: 'esp.test' }));

const signature = (overrides: Partial<DkimVerdict> = {}): DkimVerdict => ({
  result: 'pass', domain: 'good.test', selector: 's1', aligned: true, signedHeaders: ['from'], ...verifies, ...overrides,
});

const authentication = (overrides: Partial<Authentication> = {}): Authentication => ({
  spf: { result: 'pass', domain: 'good.test', ...explained(sentence('spf.pass', { domain: 'good.test', ip: '192.0.2.1' })) },
  dkim: [signature()],
  dmarc: {
    result: 'pass', domain: 'good.test', policy: 'reject', alignment: { spf: true, dkim: true },
    ...explained(sentence('dmarc.pass-dkim-spf', { domain: 'good.test', policy: 'reject' })),
  },
  arc: { result: 'none', instances: 0, ...explained(sentence('arc.none')) },
  dnsChecked: true,
  ...overrides,
});

const codes = (checks: ReportCheck[]) => Object.fromEntries(checks.map((check) => [check.id, check.messageCode]));

const statuses = (auth: Authentication, envelope = { mailFrom: 'bounce@good.test', fromAddress: 'hello@good.test' }) =>
  Object.fromEntries(authenticationChecks(auth, envelope).map((check) => [check.id, check.status]));

describe('authentication checks', () => {
  it('pass for aligned, signed mail, cost nothing, and leave ARC out when there is none', () => {
    const checks = authenticationChecks(authentication(), { mailFrom: 'bounce@mail.good.test', fromAddress: 'hello@good.test' });
    expect(checks.map((check) => [check.id, check.status, check.penalty])).toEqual([
      ['spf', 'pass', 0], ['dkim', 'pass', 0], ['dmarc', 'pass', 0], ['from-alignment', 'pass', 0],
    ]);
    // Each says its verdict's sentence, with the verdict's code and values.
    expect(checks[0]).toMatchObject({ messageCode: 'spf.pass', messageValues: { domain: 'good.test', ip: '192.0.2.1' }, messageNotes: [] });
    expect(codes(checks)).toEqual({ spf: 'spf.pass', dkim: 'dkim.pass', dmarc: 'dmarc.pass-dkim-spf', 'from-alignment': 'from-alignment.pass' });
    expect(checks[3]?.messageValues).toEqual({ domain: 'good.test' });
  });

  it('fail an unsigned message, and warn when only another domain signed', () => {
    const unsigned = authenticationChecks(authentication({ dkim: [] }), { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    expect(unsigned[1]).toMatchObject({ status: 'fail', messageCode: 'dkim.unsigned', messageValues: {} });
    expect(unsigned[1]?.message).toBe('The message is not signed with DKIM; sign it as the From domain, as Gmail and Yahoo require of every sender since 2024.');
    expect(statuses(authentication({ dkim: [signature({ domain: 'esp.test', aligned: false })] })).dkim).toBe('warn');
    expect(statuses(authentication({ dkim: [signature({ domain: 'esp.test', aligned: false }), signature({ result: 'fail', ...bodyChanged })] })).dkim).toBe('fail');
  });

  it('pass an aligned signature beside a broken one, which RFC 6376 says to ignore, and mention it', () => {
    const [, dkim] = authenticationChecks(authentication({ dkim: [signature({ result: 'fail', domain: 'esp.test', ...bodyChanged }), signature()] }),
      { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    expect(dkim).toMatchObject({ status: 'pass', penalty: 0, message: `${verifies.explanation} Another signature is broken and ignored: ${bodyChanged.explanation}` });
    // The aside is a note whose value is the broken signature's own sentence.
    expect(dkim).toMatchObject({
      messageCode: 'dkim.pass',
      messageNotes: [{ code: 'dkim.other-broken', values: { explanation: { code: 'dkim.body-changed', values: { domain: 'esp.test' } } } }],
    });
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
    expect(spoofed).toMatchObject({
      messageCode: 'from-alignment.fail',
      messageValues: { domain: 'bank.test', senders: [{ code: 'from-alignment.signed-by', values: { domain: 'esp.test' } }, { code: 'from-alignment.bounce', values: {} }] },
    });
    const noFrom = authenticationChecks(offline, { mailFrom: 'b@good.test', fromAddress: null }).find((check) => check.id === 'from-alignment');
    expect(noFrom).toMatchObject({ status: 'fail', messageCode: 'from-alignment.no-from' });
  });

  it('only inform, at no cost, when lookups are off', () => {
    const dkim = signature({ result: 'none', ...explained(sentence('dkim.dns-off', { domain: 'good.test' })) });
    const checks = authenticationChecks(authentication({ dnsChecked: false, dkim: [dkim] }), { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    expect(checks.filter((check) => check.id !== 'from-alignment').every((check) => check.status === 'info' && check.penalty === 0)).toBe(true);
    expect(codes(checks).dkim).toBe('dkim.dns-off');
  });

  it('warn on temperror and unproven results, fail on permerror', () => {
    const auth = authentication({
      spf: { result: 'temperror', domain: 'good.test', ...explained(sentence('spf.temperror', { domain: 'good.test', why: '' })) },
      dmarc: { result: 'permerror', domain: 'good.test', policy: null, alignment: { spf: false, dkim: false }, ...explained(sentence('dmarc.broken', { domain: 'good.test', why: '' })) },
      arc: { result: 'fail', instances: 2, ...explained(sentence('arc.fail', { count: 2, why: ' (bad seal)' })) },
    });
    expect(statuses(auth)).toMatchObject({ spf: 'warn', dmarc: 'fail', arc: 'fail' });
    expect(codes(authenticationChecks(auth, { mailFrom: 'b@good.test', fromAddress: 'a@good.test' }))).toMatchObject({ spf: 'spf.temperror', dmarc: 'dmarc.broken', arc: 'arc.fail' });
  });
});

describe('the score', () => {
  it('is 10 less the penalties, to one decimal and never below 0', () => {
    const check = (penalty: number) => ({ ...finding('spf', 'fail', sentence('spf.dns-off')), penalty });
    expect(scoreOf([])).toBe(10);
    expect(scoreOf([check(1.5), check(0.25)])).toBe(8.3);
    expect(scoreOf([check(7), check(7)])).toBe(0);
  });

  it('ranks a spoofed, unsigned message below a signed, aligned one', () => {
    const good = authenticationChecks(authentication(), { mailFrom: 'b@good.test', fromAddress: 'a@good.test' });
    const spoofed = authenticationChecks(authentication({
      spf: { result: 'fail', domain: 'bank.test', ...explained(sentence('spf.fail', { domain: 'bank.test', ip: '192.0.2.9' })) },
      dkim: [],
      dmarc: { result: 'fail', domain: 'bank.test', policy: 'reject', alignment: { spf: false, dkim: false }, ...explained(sentence('dmarc.fail-reject', { domain: 'bank.test' })) },
    }), { mailFrom: 'a@bank.test', fromAddress: 'a@bank.test' });
    expect(scoreOf(good)).toBe(10);
    expect(scoreOf(spoofed)).toBeLessThanOrEqual(4);
  });

  it('lists checks worst first, keeping their order within a status', () => {
    const make = (id: string, status: 'pass' | 'warn' | 'fail' | 'info') => ({ ...finding('spf', status, sentence('spf.dns-off')), id, penalty: 0 });
    expect(worstFirst([make('a', 'pass'), make('b', 'warn'), make('c', 'info'), make('d', 'fail'), make('e', 'warn')]).map((check) => check.id))
      .toEqual(['d', 'b', 'e', 'c', 'a']);
  });
});
