import { readFileSync } from 'node:fs';
import type { Dictionary, Entry } from '../../public/js/i18n/messages.js';

/** The page's translation file for a language, as a contributor left it. */
export function readDictionary(code: string): Dictionary {
  return JSON.parse(readFileSync(new URL(`../../public/locales/${code}.json`, import.meta.url), 'utf8')) as Dictionary;
}

/** The `{name}` slots an entry uses (in any of its plural forms), for checking that translations and values agree. */
export function slotsOf(entry: Entry): Set<string> {
  const texts = typeof entry === 'string' ? [entry] : Object.values(entry);
  return new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '')));
}
