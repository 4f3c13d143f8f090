import { describe, expect, it } from 'vitest';
import { checkChosenAddress, checkWrittenAddress } from '../../src/mail/address/chosen-address.js';

const reasonOf = (check: ReturnType<typeof checkWrittenAddress>) => (check.ok ? null : check.reason.code);

describe('checkChosenAddress', () => {
  it('allows Latin letters only, as without SMTPUTF8, and names the inbox without the +tag', () => {
    expect(checkChosenAddress('Qa.Signup+Week1', 'EPHEMAIL.test')).toEqual({
      ok: true, address: { inbox: 'qa.signup@ephemail.test', localPart: 'qa.signup', domain: 'ephemail.test', tag: 'week1' },
    });
    expect(reasonOf(checkChosenAddress('жанна', 'ephemail.test'))).toBe('name_non_latin');
    expect(reasonOf(checkChosenAddress('josé', 'ephemail.test'))).toBe('name_extended_latin');
  });

  it('checks the name before the domain, and the whole address after both', () => {
    expect(reasonOf(checkChosenAddress('a..b', 'no-dot'))).toBe('name_double_dot');
    expect(reasonOf(checkChosenAddress('ab', 'no-dot'))).toBe('domain_no_dot');
    expect(reasonOf(checkChosenAddress('a'.repeat(64), `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.test`))).toBe('address_too_long');
  });
});

describe('checkWrittenAddress', () => {
  it('takes the name as everything before the last @, so a name with an @ gets the name\'s reason', () => {
    const check = checkWrittenAddress('a@b@ephemail.test');
    expect(check.ok ? null : check.reason.text).toBe("Only Latin letters, digits, dot, hyphen, underscore and plus are allowed; '@' is not.");
    expect(checkWrittenAddress('Bob+News@Ephemail.Test')).toMatchObject({ ok: true, address: { inbox: 'bob@ephemail.test', tag: 'news' } });
  });

  it('says why text without an @ is no address', () => {
    expect([checkWrittenAddress(''), checkWrittenAddress('bob'), checkWrittenAddress('a b')].map(reasonOf))
      .toEqual(['address_empty', 'address_no_at', 'address_space']);
  });
});
