import { readFileSync } from 'node:fs';
import { findCodes, type CodeSource } from '../../src/mail/extract/codes.js';
import { findLinks } from '../../src/mail/extract/links.js';

/** A message of a code corpus (test/fixtures/codes), and what findCodes and findLinks should find in it. */
export interface CorpusEntry extends CodeSource {
  name: string;
  language: string;
  /** Acceptable codes, the best first; empty for a message without a code. */
  expected: string[];
  /** The action link a reader would follow; null when no link is one; absent when the entry does not judge links. */
  link?: string | null;
}

export function readCorpus(file: string): CorpusEntry[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/codes/${file}`, import.meta.url), 'utf8')) as CorpusEntry[];
}

/**
 * True when `code` is written in the entry's subject, text or HTML, perhaps
 * in full-width digits or with blanks between its digits ("8 3 1 5 7 2"),
 * as findCodes reads them.
 */
export function isWrittenIn(entry: CorpusEntry, code: string): boolean {
  const unspaced = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
  return unspaced(`${entry.subject}\n${entry.text}\n${entry.html ?? ''}`).includes(unspaced(code));
}

/**
 * How findCodes does on `entries`: the right code first, and nothing where
 * there is no code; and how findLinks does on the entries that name their
 * action link (or null): that link marked, and no other.
 */
export function measure(entries: CorpusEntry[]) {
  const results = entries.map((entry) => ({ name: entry.name, expected: entry.expected, found: findCodes(entry) }));
  const withCode = results.filter((result) => result.expected.length > 0);
  const withoutCode = results.filter((result) => result.expected.length === 0);
  const misses = withCode.filter((result) => result.found[0] !== result.expected[0]);
  const falsePositives = withoutCode.filter((result) => result.found.length > 0);
  const top1 = withCode.length - misses.length;
  const accuracy = top1 / withCode.length;
  const links = entries
    .filter((entry) => entry.link !== undefined)
    .map((entry) => ({ name: entry.name, expected: entry.link, found: findLinks(entry).find((link) => link.action)?.url ?? null }));
  const linkMisses = links.filter((result) => result.found !== result.expected);
  const linkAccuracy = (links.length - linkMisses.length) / links.length;
  const summary =
    `top-1 ${top1}/${withCode.length} (${(accuracy * 100).toFixed(1)}%), ` +
    `false positives ${falsePositives.length}/${withoutCode.length}, ` +
    `action link ${links.length - linkMisses.length}/${links.length}`;
  return { withCode, withoutCode, misses, falsePositives, accuracy, links, linkMisses, linkAccuracy, summary };
}
