import { readFileSync } from 'node:fs';
import { findCodes, type CodeSource } from '../../src/mail/extract/codes.js';

/** A message of a code corpus (test/fixtures/codes), and what findCodes should find in it. */
export interface CorpusEntry extends CodeSource {
  name: string;
  language: string;
  /** Acceptable codes, the best first; empty for a message without a code. */
  expected: string[];
}

export function readCorpus(file: string): CorpusEntry[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/codes/${file}`, import.meta.url), 'utf8')) as CorpusEntry[];
}

/** How findCodes does on `entries`: the right code first, and nothing where there is no code. */
export function measure(entries: CorpusEntry[]) {
  const results = entries.map((entry) => ({ name: entry.name, expected: entry.expected, found: findCodes(entry) }));
  const withCode = results.filter((result) => result.expected.length > 0);
  const withoutCode = results.filter((result) => result.expected.length === 0);
  const misses = withCode.filter((result) => result.found[0] !== result.expected[0]);
  const falsePositives = withoutCode.filter((result) => result.found.length > 0);
  const top1 = withCode.length - misses.length;
  const accuracy = top1 / withCode.length;
  const summary =
    `top-1 ${top1}/${withCode.length} (${(accuracy * 100).toFixed(1)}%), ` +
    `false positives ${falsePositives.length}/${withoutCode.length}`;
  return { withCode, withoutCode, misses, falsePositives, accuracy, summary };
}
