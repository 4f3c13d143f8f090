import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_LANGUAGE, LANGUAGES } from '../../public/js/i18n/languages.js';
import { readDictionary as dictionary, slotsOf } from '../support/locales.js';

/**
 * The translation files are edited by hand, by people who may never run
 * the page: these checks are what keeps every language complete and every
 * key the code asks for present.
 */
const LOCALES = new URL('../../public/locales/', import.meta.url);
const PUBLIC = new URL('../../public/', import.meta.url);

function pageSources(dir = PUBLIC.pathname): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : pageSources(path);
    return /\.(js|html)$/.test(entry.name) ? [readFileSync(path, 'utf8')] : [];
  });
}

const english = dictionary(FALLBACK_LANGUAGE);

describe('translation files', () => {
  it('exist for every language of the switcher, and only for those', () => {
    const files = readdirSync(LOCALES).filter((name) => name.endsWith('.json')).map((name) => name.replace('.json', ''));
    expect(files.sort()).toEqual(LANGUAGES.map((language) => language.code).sort());
  });

  for (const { code } of LANGUAGES) {
    describe(code, () => {
      const translation = dictionary(code);
      const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;

      it('has every key of English, and no other', () => {
        expect(Object.keys(translation).sort()).toEqual(Object.keys(english).sort());
      });

      it('keeps the {slots} of every English string', () => {
        for (const [key, entry] of Object.entries(translation)) {
          const source = english[key];
          if (source === undefined) continue;
          expect([...slotsOf(entry)].sort(), key).toEqual([...slotsOf(source)].sort());
        }
      });

      it('gives every plural string each form the language needs, and plain strings stay plain', () => {
        for (const [key, entry] of Object.entries(translation)) {
          const source = english[key];
          expect(typeof entry, key).toBe(typeof source);
          if (typeof entry === 'string') continue;
          expect(Object.keys(entry).sort(), `${key} in ${code}`).toEqual([...categories].sort());
        }
      });

      it('has no empty string', () => {
        for (const [key, entry] of Object.entries(translation)) {
          for (const text of typeof entry === 'string' ? [entry] : Object.values(entry)) expect(text.trim(), key).not.toBe('');
        }
      });
    });
  }
});

describe('keys in the page', () => {
  const sources = pageSources().join('\n');
  // Keys built at run time from a code the server sends: the prefix stands for all of them.
  const DYNAMIC_PREFIXES = ['reason.', 'reportSentence.'];

  it('every key the page names is in English', () => {
    const named = new Set<string>();
    for (const match of sources.matchAll(/\bt\(\s*'([^']+)'/g)) named.add(match[1] ?? '');
    for (const match of sources.matchAll(/data-i18n="([^"]+)"/g)) named.add(match[1] ?? '');
    for (const match of sources.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of (match[1] ?? '').split(';')) named.add(pair.split('=')[1]?.trim() ?? '');
    }
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((key) => english[key] === undefined)).toEqual([]);
  });

  it('every English key is used by the page (a key no code names is a dead string)', () => {
    const unused = Object.keys(english).filter((key) =>
      !DYNAMIC_PREFIXES.some((prefix) => key.startsWith(prefix)) && !sources.includes(`'${key}'`) && !sources.includes(`"${key}"`)
      && !sources.includes(`=${key}`));
    expect(unused).toEqual([]);
  });
});
