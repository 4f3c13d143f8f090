import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalDomain, checkAddress, checkLocalPart, generateLocalPart, memoizedDomainChecker } from '../../src/mail/address/address.js';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

// Mostly characters an address may hold, in both cases and scripts, so a good share of inputs is valid.
const asciiLocalChar = fc.constantFrom(...'aBzQ09._-+');
const unicodeLocalChar = fc.constantFrom('ä', 'Ж', 'Σ', 'ß', 'é', 'e\u0301', 'Ω', '٣');
const oddChar = fc.oneof(
  fc.constantFrom(' ', '@', '"', ':', '<', '>', '\u212A', 'ａ', 'İ', '\u0301', '\u200b', '\t', '।'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const localChar = fc.oneof(
  { weight: 40, arbitrary: asciiLocalChar },
  { weight: 4, arbitrary: unicodeLocalChar },
  { weight: 1, arbitrary: oddChar },
);
const domainLabel = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'aZ0-', 'ü', 'Ü', 'ж', 'ß', 'ς', '例'), minLength: 1, maxLength: 12 }),
  fc.constantFrom('xn--mnchen-3ya', 'XN--MNCHEN-3YA', 'xn--zz', 'ＥＸＡＭＰＬＥ'),
);
const topLevel = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom('com', 'DE', 'рф', 'xn--p1ai') },
  { weight: 1, arbitrary: fc.constantFrom('1', '0x7f', '') },
);

const addressLike = fc
  .tuple(fc.string({ unit: localChar, minLength: 1, maxLength: 24 }), fc.array(domainLabel, { maxLength: 3 }), topLevel)
  .map(([local, labels, top]) => `${local}@${[...labels, top].join('.')}`);

// Lone UTF-16 surrogates are not code points, so 'binary' strings never contain them; add them explicitly.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: codeUnit }),
  fc.string({ unit: fc.oneof(fc.constantFrom('@', '.', '+', '[', ']', '<', '>', '"', ' '), codeUnit) }),
  addressLike,
);

const options = fc.record({ smtpUtf8: fc.boolean() });

function flipAsciiCase(text: string, flips: readonly boolean[]): string {
  return [...text]
    .map((char, index) => {
      if (!/^[A-Za-z]$/.test(char) || flips[index % flips.length] !== true) return char;
      return char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
    })
    .join('');
}

describe('checkAddress properties', () => {
  it('never throws and always answers with an address or a sentence', () => {
    fc.assert(
      fc.property(anyString, options, (input, opts) => {
        const check = checkAddress(input, opts);
        if (check.ok) expect(check.address.inbox).toBe(`${check.address.localPart}@${check.address.domain}`);
        else expect(check.reason.text).toMatch(/\S.*[.]$/s);
        const local = checkLocalPart(input, opts);
        expect(local === null || local.text.endsWith('.')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: the inbox of a valid address checks to itself', () => {
    fc.assert(
      fc.property(addressLike, options, (input, opts) => {
        const first = checkAddress(input, opts);
        if (!first.ok) return;
        const again = checkAddress(first.address.inbox, opts);
        expect(again).toEqual({ ok: true, address: { ...first.address, tag: null } });
      }),
      { numRuns: 3000 },
    );
  });

  it('draws valid addresses often enough for the idempotence property to mean something', () => {
    const checks = fc.sample(fc.tuple(addressLike, options), 2000).map(([input, opts]) => checkAddress(input, opts));
    expect(checks.filter((check) => check.ok).length).toBeGreaterThan(250);
  });

  it('answers the same with a memo of domain checks, also once the memo is full', () => {
    const checkDomain = memoizedDomainChecker(8);
    fc.assert(
      fc.property(anyString, options, (input, opts) => {
        expect(checkAddress(input, { ...opts, checkDomain })).toEqual(checkAddress(input, opts));
      }),
      { numRuns: 3000 },
    );
  });

  it('does not let the case of ASCII letters change validity or the inbox', () => {
    fc.assert(
      fc.property(anyString, fc.array(fc.boolean(), { minLength: 1 }), options, (input, flips, opts) => {
        const plain = checkAddress(input, opts);
        const flipped = checkAddress(flipAsciiCase(input, flips), opts);
        expect(flipped.ok).toBe(plain.ok);
        if (plain.ok && flipped.ok) expect(flipped.address).toEqual(plain.address);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('canonicalDomain properties', () => {
  it('is idempotent and never throws', () => {
    const domainLike = fc.oneof(
      fc
        .tuple(fc.array(domainLabel, { minLength: 1, maxLength: 4 }), topLevel)
        .map(([labels, top]) => [...labels, top].join('.')),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(domainLike, (domain) => {
        const canonical = canonicalDomain(domain);
        if (canonical !== null) expect(canonicalDomain(canonical)).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('generateLocalPart properties', () => {
  it('turns any byte stream into a valid name made of exactly the accepted bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (stream) => {
        let offset = 0;
        // Feed the generated bytes first, then real randomness so the generator can always finish.
        const source = (size: number): Uint8Array => {
          const bytes = Uint8Array.from({ length: size }, (_, i) => stream[offset + i] ?? randomBytes(1)[0] ?? 0);
          offset += size;
          return bytes;
        };
        const name = generateLocalPart(source);
        expect(checkLocalPart(name)).toBeNull();
        const expected = [...stream]
          .filter((byte) => byte < 248)
          .slice(0, 18)
          .map((byte) => ALPHABET.charAt(byte % 31))
          .join('');
        expect(name.replaceAll('-', '').startsWith(expected)).toBe(true);
      }),
    );
  });
});
