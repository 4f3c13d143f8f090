/**
 * A sentence of the report as data: a stable code, the values its words
 * name, and from those its English text. The API sends all three, so a page
 * in another language can say the sentence in its own words. Each table of
 * templates (auth-sentences.ts, check-sentences.ts, html-sentences.ts,
 * timeline-sentences.ts) pairs a code with its slots and its English;
 * sentences.ts joins them, and is the only way to make a sentence. The
 * helpers at the end are the English templates' own words for counts,
 * sizes and lists.
 */
import type { SentenceCode } from './sentences.js';

/**
 * What a sentence names: text from the message (quoted as the English quotes
 * it) or from this server, a number, a phrase of its own, or a list of text
 * and phrases.
 */
export type SentenceValue = string | number | Sentence | Array<string | Sentence>;

/** The values of a sentence, by slot name. */
export type SentenceValues = Record<string, SentenceValue>;

/** A sentence (or a phrase inside one): its code and the values its words name. */
export interface Sentence {
  code: SentenceCode;
  values: SentenceValues;
}

/**
 * Every slot a sentence may have, and what it holds. Names mean the same in
 * every sentence, so that a page can format a value by its name alone:
 * `bytes` is a size in bytes and `seconds` a duration in seconds (both zero
 * or more), `count` is the number that picks a plural form. A `text` slot
 * holds a string or a phrase (such as "an unnamed host"); a `list` slot,
 * strings and phrases, the last of which may be `list.more` ("and 2 more").
 */
export const SLOTS = {
  count: 'number', bytes: 'number', seconds: 'number', kilobytes: 'number', elements: 'number',
  characters: 'number', perImage: 'number', limit: 'number',
  domain: 'text', fromDomain: 'text', ip: 'text', mechanism: 'text', key: 'text', policy: 'text', why: 'text',
  explanation: 'text', signal: 'text', header: 'text', name: 'text', disguise: 'text', type: 'text', file: 'text',
  archive: 'text', shown: 'text', target: 'text', feature: 'text', src: 'text', reason: 'text', from: 'text', by: 'text',
  files: 'list', requirements: 'list', senders: 'list', pairs: 'list', shorteners: 'list', hosts: 'list',
  features: 'list', clients: 'list', hops: 'list',
} as const;

/** The name of a slot. */
export type SlotName = keyof typeof SLOTS;

/** A value as a sentence is given it. */
export type GivenValue<N extends SlotName> = (typeof SLOTS)[N] extends 'number' ? number
  : (typeof SLOTS)[N] extends 'list' ? Array<string | Sentence> : string | Sentence;

/** A list as an English template reads it: its items in English, and how many more there are beyond them. */
export interface EnglishList {
  items: string[];
  more: number;
}

/** A value as an English template reads it: phrases already in English, a list split from its "and N more". */
export type EnglishValue<N extends SlotName> = (typeof SLOTS)[N] extends 'number' ? number
  : (typeof SLOTS)[N] extends 'list' ? EnglishList : string;

/** A sentence's slots and its English words. */
export interface Template<N extends SlotName> {
  readonly slots: readonly N[];
  readonly english: (values: { readonly [K in N]: EnglishValue<K> }) => string;
}

/** A sentence that names `slots`, in English. */
export function template<const S extends readonly SlotName[]>(
  slots: S,
  english: (values: { readonly [K in S[number]]: EnglishValue<K> }) => string,
): Template<S[number]> {
  return { slots, english };
}

/** A sentence that names nothing. */
export function fixed(text: string): Template<never> {
  return { slots: [], english: () => text };
}

/** `count` with the noun in the singular or plural ("1 image", "3 images"). */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

/** Bytes in KB or MB (1 KB = 1,024 bytes, as Gmail counts its 102 KB), one decimal. */
export function sizeText(bytes: number): string {
  const kb = bytes / 1024;
  return kb < 1024 ? `${kb.toFixed(1)} KB` : `${(kb / 1024).toFixed(1)} MB`;
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
export function andList({ items, more }: EnglishList): string {
  const all = more > 0 ? [...items, `${more} more`] : items;
  return all.length < 2 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}
