import { describe, expect, it } from 'vitest';
import { checkAddress, checkLocalPart } from '../../src/mail/address/address.js';
import { ADDRESS_REASON_CODES } from '../../src/mail/address/reasons.js';

/**
 * The character rules, by the code and values a page needs to say them in
 * its own language. test/http/address-reasons.test.ts reaches every code
 * from a real input through the API; this looks closer at how a refused
 * character is named.
 */

describe('a refused character in a chosen name', () => {
  it.each([
    ['жанна', 'ж', 'Cyrl'], ['αλφα', 'α', 'Grek'], ['שלום', 'ש', 'Hebr'], ['علي', 'ع', 'Arab'], ['a٣', '٣', 'Arab'],
    ['李雷', '李', 'Hani'], ['さくら', 'さ', 'Hira'], ['カナ', 'カ', 'Kana'], ['민수', '민', 'Hang'], ['राम', 'र', 'Deva'],
    ['สม', 'ส', 'Thai'], ['გია', 'გ', 'Geor'], ['Ꭰa', 'Ꭰ', 'Cher'],
  ])('names the script of a letter outside Latin: %s', (name, character, script) => {
    expect(checkLocalPart(name)).toMatchObject({ code: 'name_non_latin', values: { character, script } });
  });

  it('tells Latin letters outside A-Z, look-alikes, marks, invisible characters and the rest apart', () => {
    expect(checkLocalPart('straße')).toMatchObject({ code: 'name_extended_latin', values: { character: 'ß' } });
    expect(checkLocalPart('\uff21nna')).toEqual({
      code: 'name_lookalike',
      values: { character: '\uff21', codePoint: 'U+FF21', lookalikeOf: 'A' },
      text: "Only Latin letters, digits, dot, hyphen, underscore and plus are allowed; 'Ａ' (U+FF21, a look-alike of 'A') is not.",
    });
    expect(checkLocalPart('\u0308a')).toMatchObject({ code: 'name_combining_mark', values: { codePoint: 'U+0308' } });
    expect(checkLocalPart('a\u2060b')).toMatchObject({ code: 'name_invisible_character', values: { codePoint: 'U+2060' } });
    expect(checkLocalPart('a€b')).toMatchObject({ code: 'name_forbidden_character', values: { character: '€' } });
  });

  it('carries only the values its sentence needs', () => {
    expect(checkLocalPart('a!b')?.values).toEqual({ character: '!' });
    expect(checkLocalPart('a..b')?.values).toEqual({});
  });
});

describe('a refused character with SMTPUTF8', () => {
  it('allows letters of every script, and names the rest by the wider rule', () => {
    expect(checkLocalPart('жанна', { smtpUtf8: true })).toBeNull();
    expect(checkLocalPart('a€b', { smtpUtf8: true })).toMatchObject({ code: 'name_forbidden_character_utf8', values: { character: '€' } });
    expect(checkLocalPart('a\uff0bb', { smtpUtf8: true })).toMatchObject({ code: 'name_lookalike_utf8', values: { lookalikeOf: '+' } });
  });
});

describe('a refused character in a domain', () => {
  it('is named as itself, or by its code point when it cannot be seen', () => {
    const check = checkAddress('bob@exa!mple.com');
    expect(check.ok ? null : check.reason).toMatchObject({ code: 'domain_forbidden_character', values: { character: '!' } });
    const hidden = checkAddress('bob@exa\u00admple.com');
    expect(hidden.ok ? null : hidden.reason).toMatchObject({ code: 'domain_invisible_character', values: { codePoint: 'U+00AD' } });
  });
});

describe('the codes', () => {
  it('are snake_case, as the problem codes are', () => {
    for (const code of ADDRESS_REASON_CODES) expect(code).toMatch(/^[a-z]+(?:_[a-z0-9]+)+$/);
  });
});
