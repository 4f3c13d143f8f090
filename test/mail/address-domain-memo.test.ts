import { describe, expect, it } from 'vitest';
import { memoizedDomainChecker } from '../../src/mail/address/address.js';

describe('memoizedDomainChecker', () => {
  it('keeps the answers for the last few spellings and checks others again', () => {
    const checkDomain = memoizedDomainChecker(2);
    const first = checkDomain('Example.com');
    expect(first).toEqual({ ok: true, domain: 'example.com', ascii: 'example.com' });
    expect(checkDomain('Example.com')).toBe(first);
    checkDomain('a.example');
    checkDomain('b.example');
    const again = checkDomain('Example.com');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('does not keep spellings longer than any domain', () => {
    const checkDomain = memoizedDomainChecker(2);
    const long = `${'a'.repeat(300)}.example`;
    const first = checkDomain(long);
    expect(first.ok).toBe(false);
    expect(checkDomain(long)).not.toBe(first);
  });
});
