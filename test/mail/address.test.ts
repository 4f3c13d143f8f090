import { describe, expect, it } from 'vitest';
import {
  canonicalDomain,
  checkAddress,
  checkLocalPart,
  generateLocalPart,
  GENERATED_LOCAL_PART_BITS,
  isAcceptedDomain,
} from '../../src/mail/address/address.js';
import type { AddressCheck, DomainPolicy, InboxAddress } from '../../src/mail/address/address.js';

function reasonOf(check: AddressCheck): string {
  if (check.ok) throw new Error(`expected a refusal, got ${check.address.inbox}`);
  return check.reason.text;
}

function addressOf(check: AddressCheck): InboxAddress {
  if (!check.ok) throw new Error(`expected an address, got: ${check.reason.text}`);
  return check.address;
}

function kindOf(reason: string): string {
  return reason.replace(/'[^']*'|\([^)]*\)|U\+[0-9A-F]+|\d+/g, '');
}

const label63 = 'a'.repeat(63);
const longDomain = `${label63}.${label63}.${label63}.${'a'.repeat(61)}.com`;

// Each row: input, options, and text the reason must contain so it names the actual problem.
const refusals: Array<[string, { smtpUtf8?: boolean }, RegExp[]]> = [
  ['', {}, [/empty/]],
  ['   ', {}, [/empty/]],
  ['alice.example.com', {}, [/no @/]],
  ['a@b@example.com', {}, [/2 @ signs/, /only one/]],
  ['a@@example.com', {}, [/2 @ signs/]],
  ['john doe@example.com', {}, [/space in it/]],
  ['john@exa mple.com', {}, [/space in it/]],
  ['john\tdoe@example.com', {}, [/blank character/, /U\+0009/]],
  ['john\u00a0doe@example.com', {}, [/blank character/, /U\+00A0/]],
  ['<alice@example.com>', {}, [/angle brackets/]],
  ['Alice <alice@example.com>', {}, [/angle brackets/]],
  ['"john doe"@example.com', {}, [/Quoted names/]],
  ['"john"@example.com', {}, [/Quoted names/]],
  ['a:b@example.com', {}, [/':' is not/]],
  ['a;b@example.com', {}, [/';' is not/]],
  ['a(b@example.com', {}, [/'\(' is not/]],
  ['a)b@example.com', {}, [/'\)' is not/]],
  ['a<b@example.com', {}, [/'<' is not/]],
  ['a>b@example.com', {}, [/'>' is not/]],
  ['a,b@example.com', {}, [/',' is not/]],
  ['a[b@example.com', {}, [/'\[' is not/]],
  ['a]b@example.com', {}, [/'\]' is not/]],
  ['a"b@example.com', {}, [/'"' is not/]],
  ['a\\b@example.com', {}, [/'\\' is not/]],
  ['a!b@example.com', {}, [/'!' is not/]],
  ['a\u200bb@example.com', {}, [/invisible character U\+200B/]],
  ['жанна@example.com', {}, [/^Only Latin letters, digits, dot, hyphen, underscore and plus are allowed; 'ж' is not\.$/]],
  ['a/b@example.com', { smtpUtf8: true }, [/Only letters, digits/, /'\/' is not/]],
  ['a\u0301@example.com', { smtpUtf8: false }, [/'á' is not/]],
  ['\u0915\u093f@example.com', { smtpUtf8: true }, [/combining mark U\+093F/]],
  ['İstanbul@example.com', { smtpUtf8: true }, [/'İ' has no plain lower-case form/]],
  ['.alice@example.com', {}, [/cannot start with a dot/]],
  ['alice.@example.com', {}, [/cannot end with a dot\./]],
  ['al..ice@example.com', {}, [/two dots in a row/]],
  ['alice.+news@example.com', {}, [/dot right before the \+/]],
  ['@example.com', {}, [/name .*is empty/]],
  ['+news@example.com', {}, [/only a \+tag/]],
  ['+@example.com', {}, [/only a \+tag/]],
  [`${'a'.repeat(65)}@example.com`, {}, [/65 bytes/, /limit is 64/]],
  [`${'ж'.repeat(33)}@example.com`, { smtpUtf8: true }, [/66 bytes/, /2 to 4 bytes/]],
  ['alice@', {}, [/domain .*is empty/]],
  ['alice@localhost', {}, [/'localhost' has no dot/]],
  ['alice@.example.com', {}, [/domain cannot start with a dot/]],
  ['alice@example.com.', {}, [/domain cannot end with a dot/]],
  ['alice@example..com', {}, [/domain cannot have two dots/]],
  ['alice@example\u3002\u3002com', {}, [/domain cannot have two dots/]],
  ['alice@-example.com', {}, [/hyphen \('-example'\)/]],
  ['alice@example-.com', {}, [/hyphen \('example-'\)/]],
  ['alice@-ü.com', {}, [/hyphen \('-ü'\)/]],
  [`alice@${'a'.repeat(64)}.com`, {}, [/too long/, /at most 63/]],
  ['alice@exa_mple.com', {}, [/domain; '_' is not/]],
  ['alice@exa%41mple.com', {}, [/'%' is not/]],
  ['alice@exa\uff3fmple.com', {}, [/'_' is not/]],
  ['alice@exa\u200bmple.com', {}, [/invisible character U\+200B/]],
  ['alice@xn--zz.com', {}, [/'xn--zz.com' is not a valid domain name/]],
  [`alice@${longDomain}`, {}, [/domain is 257 characters long/, /limit is 253/]],
  ['alice@[1.2.3.4]', {}, [/IP address such as \[1\.2\.3\.4\]/]],
  ['alice@1.2.3.4', {}, [/ends in a number \('4'\)/]],
  ['alice@1.2.3.4.5', {}, [/ends in a number/]],
  ['alice@0x7f.1', {}, [/ends in a number/]],
  ['alice@１２７.０.０.１', {}, [/ends in a number/]],
  [`${'a'.repeat(64)}@${label63}.${label63}.${label63}.${'a'.repeat(57)}.com`, {}, [/address is 318 bytes/, /254/]],
];

describe('checkAddress refusals', () => {
  it.each(refusals)('refuses %j with a reason that names the problem', (input, options, patterns) => {
    const reason = reasonOf(checkAddress(input, options));
    for (const pattern of patterns) expect(reason).toMatch(pattern);
    expect(reason).toMatch(/[.]$/);
  });

  it('gives each kind of problem its own sentence', () => {
    // Sentences differing only in the character, code point or number shown are one kind. The rows above
    // hold 34 kinds (counting the invisible, combining-mark and multi-byte wordings); fewer means two merged.
    const kinds = new Set(refusals.map(([input, options]) => kindOf(reasonOf(checkAddress(input, options)))));
    expect(kinds.size).toBe(34);
  });
});

describe('checkAddress normalisation', () => {
  it('strips surrounding whitespace and lower-cases the whole address', () => {
    expect(addressOf(checkAddress('  Alice.Smith@Example.COM \n'))).toEqual({
      inbox: 'alice.smith@example.com',
      localPart: 'alice.smith',
      domain: 'example.com',
      tag: null,
    });
  });

  it('splits a +tag at the first plus and lower-cases it', () => {
    expect(addressOf(checkAddress('Bob+News+Weekly@example.com'))).toEqual({
      inbox: 'bob@example.com',
      localPart: 'bob',
      domain: 'example.com',
      tag: 'news+weekly',
    });
  });

  it('treats an empty tag as no tag', () => {
    expect(addressOf(checkAddress('bob+@example.com')).tag).toBeNull();
  });

  it('accepts every allowed ASCII character', () => {
    expect(addressOf(checkAddress('A-z_0.9+x@example.com')).inbox).toBe('a-z_0.9@example.com');
  });

  it('maps the three spellings of an IDN domain to one inbox', () => {
    const inboxes = ['x@MÜNCHEN.de', 'x@münchen.de', 'x@xn--mnchen-3ya.de', 'x@XN--MNCHEN-3YA.DE'].map(
      (input) => addressOf(checkAddress(input)).inbox,
    );
    expect(new Set(inboxes)).toEqual(new Set(['x@münchen.de']));
  });

  it('allows Unicode letters and digits only with SMTPUTF8, NFC-normalised and lower-cased', () => {
    const decomposed = 'Jose\u0301+Ω@example.com';
    expect(checkAddress(decomposed).ok).toBe(false);
    expect(addressOf(checkAddress(decomposed, { smtpUtf8: true }))).toMatchObject({
      inbox: 'josé@example.com',
      tag: 'ω',
    });
    const cyrillic = addressOf(checkAddress('ЖАННА@пример.рф', { smtpUtf8: true }));
    expect(cyrillic.inbox).toBe('жанна@пример.рф');
  });

  it('does not fold compatibility characters into ASCII without SMTPUTF8', () => {
    const kelvin = reasonOf(checkAddress('\u212Aelvin@example.com'));
    expect(kelvin).toContain("'\u212A' (U+212A, a look-alike of 'K') is not");
    expect(reasonOf(checkAddress('\uff41lice@example.com'))).toContain("(U+FF41, a look-alike of 'a')");
  });

  it('is idempotent on its own output', () => {
    for (const input of ['Bob+X@MÜNCHEN.de', 'ÉLODIE@example.com', 'ΣΊΣΥΦΟΣ@example.gr']) {
      const first = addressOf(checkAddress(input, { smtpUtf8: true }));
      expect(addressOf(checkAddress(first.inbox, { smtpUtf8: true })).inbox).toBe(first.inbox);
    }
  });

  it('accepts the longest local part and the longest address', () => {
    expect(checkAddress(`${'a'.repeat(64)}@example.com`).ok).toBe(true);
    const address = `${'a'.repeat(64)}@${label63}.${label63}.${'a'.repeat(57)}.com`;
    expect(address).toHaveLength(254);
    expect(checkAddress(address).ok).toBe(true);
    expect(reasonOf(checkAddress(address.replace('.com', 'a.com')))).toMatch(/address is 255 bytes/);
  });
});

describe('checkLocalPart', () => {
  it('returns null for a good name', () => {
    expect(checkLocalPart('alice.smith+news')).toBeNull();
  });

  it('explains a non-Latin letter when SMTPUTF8 is off', () => {
    expect(checkLocalPart('жанна', { smtpUtf8: false })?.text).toBe(
      "Only Latin letters, digits, dot, hyphen, underscore and plus are allowed; 'ж' is not.",
    );
    expect(checkLocalPart('жанна', { smtpUtf8: true })).toBeNull();
  });

  it('speaks about the name, not the address', () => {
    expect(checkLocalPart('john doe')?.text).toBe('The name has a space in it; addresses cannot contain spaces.');
    expect(checkLocalPart('')?.text).toMatch(/name .*is empty/);
    expect(checkLocalPart('"john"')?.text).toMatch(/Quoted names/);
    expect(checkLocalPart('a@b')?.text).toMatch(/'@' is not/);
  });
});

describe('canonicalDomain', () => {
  it('gives one lower-case Unicode form for every spelling', () => {
    for (const spelling of ['MÜNCHEN.de', 'münchen.de', 'xn--mnchen-3ya.de', 'mu\u0308nchen.DE']) {
      expect(canonicalDomain(spelling)).toBe('münchen.de');
    }
  });

  it('returns null for invalid domains', () => {
    for (const bad of ['', 'localhost', 'a..b', 'a_b.com', '[1.2.3.4]', 'xn--zz.com', '1.2.3.4']) {
      expect(canonicalDomain(bad)).toBeNull();
    }
  });
});

describe('isAcceptedDomain', () => {
  const policy: DomainPolicy = {
    domains: ['ephemail.test', 'münchen.de'],
    defaultDomain: 'ephemail.test',
    catchAll: false,
    simulatorDomain: 'simulator.ephemail.test',
  };

  it('accepts only listed domains without catch-all', () => {
    expect(isAcceptedDomain('ephemail.test', policy)).toBe(true);
    expect(isAcceptedDomain('münchen.de', policy)).toBe(true);
    expect(isAcceptedDomain('other.test', policy)).toBe(false);
  });

  it('always accepts the default domain', () => {
    expect(isAcceptedDomain('default.test', { ...policy, defaultDomain: 'default.test' })).toBe(true);
  });

  it('accepts the failure simulator\'s domain, and with the simulator off only as catch-all would', () => {
    expect(isAcceptedDomain('simulator.ephemail.test', policy)).toBe(true);
    expect(isAcceptedDomain('simulator.ephemail.test', { ...policy, simulatorDomain: null })).toBe(false);
    expect(isAcceptedDomain('simulator.ephemail.test', { ...policy, simulatorDomain: null, catchAll: true })).toBe(true);
  });

  it('accepts any valid domain with catch-all, but still no invalid one', () => {
    const open = { ...policy, catchAll: true };
    expect(isAcceptedDomain('other.test', open)).toBe(true);
    expect(isAcceptedDomain('localhost', open)).toBe(false);
    expect(isAcceptedDomain('a..b', open)).toBe(false);
  });
});

describe('generateLocalPart', () => {
  const draws = Array.from({ length: 10_000 }, () => generateLocalPart());

  it('looks like three groups of six readable characters', () => {
    for (const name of draws) expect(name).toMatch(/^[a-z2-9]{6}-[a-z2-9]{6}-[a-z2-9]{6}$/);
    expect(draws.join('')).not.toMatch(/[01oli]/);
  });

  it('has at least 80 bits, by the constant and by the observed alphabet', () => {
    expect(GENERATED_LOCAL_PART_BITS).toBeGreaterThanOrEqual(80);
    const alphabet = new Set(draws.join('').replaceAll('-', ''));
    const symbols = draws[0]?.replaceAll('-', '').length ?? 0;
    expect(Math.floor(symbols * Math.log2(alphabet.size))).toBe(GENERATED_LOCAL_PART_BITS);
  });

  it('never repeats in 10,000 draws and every draw is a valid address', () => {
    expect(new Set(draws).size).toBe(draws.length);
    for (const name of draws) {
      expect(checkLocalPart(name)).toBeNull();
      expect(addressOf(checkAddress(`${name}@ephemail.test`)).localPart).toBe(name);
    }
  });

  it('redraws bytes that would bias the choice instead of wrapping them', () => {
    const fed: number[] = [];
    const source = (size: number): Uint8Array => {
      // Every biased byte (248..255) first, then byte 0 which maps to 'a'.
      const bytes = Uint8Array.from({ length: size }, (_, i) => (fed.length + i < 8 ? 248 + fed.length + i : 0));
      fed.push(...bytes);
      return bytes;
    };
    expect(generateLocalPart(source)).toBe('aaaaaa-aaaaaa-aaaaaa');
    expect(fed.length).toBe(26);
  });

  it('spreads draws evenly over the alphabet', () => {
    const counts = new Map<string, number>();
    for (const char of draws.join('').replaceAll('-', '')) counts.set(char, (counts.get(char) ?? 0) + 1);
    const expected = (draws.length * 18) / 31;
    const chiSquared = [...counts.values()].reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 30 degrees of freedom: 80 is exceeded by chance about once in a million runs,
    // while the modulo bias of byte % 31 would score around 500.
    expect(counts.size).toBe(31);
    expect(chiSquared).toBeLessThan(80);
  });
});
