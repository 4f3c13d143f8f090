/**
 * Micro-benchmark of the code and link finders, in this thread:
 *
 *   npx tsx test/bench/codes-bench.ts                      # warm medians only
 *   node --expose-gc --import tsx test/bench/codes-bench.ts # plus the first call after a full GC
 *
 * Times findCodes over the whole corpus and over the text and HTML of the two
 * benchmark messages (parsed once), findLinks on the same, and, when `gc` is
 * exposed, the first findCodes call after two full GCs: V8 drops compiled
 * RegExp code at a full GC, so that call pays for recompiling every RegExp it uses.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findCodes, type CodeSource } from '../../src/mail/extract/codes.js';
import { findLinks } from '../../src/mail/extract/links.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { MESSAGE_KINDS, messageFactory } from './messages.js';
import { median } from './stats.js';

const corpus = JSON.parse(readFileSync(new URL('../fixtures/codes/corpus.json', import.meta.url), 'utf8')) as Array<CodeSource & { name: string; expected: string[] }>;
const gc = (globalThis as { gc?: () => void }).gc;

function timeEach(repeats: number, body: () => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    body();
    samples.push(performance.now() - started);
  }
  return samples;
}

// Warm-up first, so the JIT has compiled everything before it is timed.
function warmMedian(repeats: number, body: () => unknown): number {
  timeEach(Math.max(20, repeats >> 2), body);
  return median(timeEach(repeats, body));
}

function afterGcMedian(repeats: number, body: () => unknown): number {
  if (!gc) return NaN;
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    gc();
    gc();
    samples.push(...timeEach(1, body));
  }
  return median(samples);
}

function format(ms: number): string {
  return Number.isNaN(ms) ? 'n/a' : ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

function accuracy(): string {
  const withCode = corpus.filter((entry) => entry.expected.length > 0);
  const top1 = withCode.filter((entry) => findCodes(entry)[0] === entry.expected[0]).length;
  const falsePositives = corpus.filter((entry) => entry.expected.length === 0 && findCodes(entry).length > 0).length;
  return `top-1 ${top1}/${withCode.length}, false positives ${falsePositives}/${corpus.length - withCode.length}`;
}

const rows: Array<[string, number, number]> = [];

rows.push([
  `findCodes, corpus (${corpus.length} messages, one pass)`,
  warmMedian(200, () => corpus.forEach((entry) => findCodes(entry))),
  afterGcMedian(30, () => corpus.forEach((entry) => findCodes(entry))),
]);

for (const kind of MESSAGE_KINDS) {
  const block = messageFactory(kind)('bench-inbox-000@ephemail.test', 'bench 00000000 0000000000');
  const parsed = await parseMessage(block.subarray(0, block.length - 3));
  const source = { subject: parsed.subject, text: parsed.text, html: parsed.html };
  const label = `${kind} (text ${parsed.text.length} chars, html ${parsed.html?.length ?? 0})`;
  rows.push([`findCodes, ${label} -> ${JSON.stringify(findCodes(source))}`, warmMedian(1000, () => findCodes(source)), afterGcMedian(30, () => findCodes(source))]);
  rows.push([`findLinks, ${kind}`, warmMedian(1000, () => findLinks(source)), afterGcMedian(30, () => findLinks(source))]);
}

console.log(`corpus: ${accuracy()}${gc ? '' : '  (run with node --expose-gc --import tsx for the after-GC column)'}`);
console.log('| case | median | first call after gc() (median) |');
console.log('|---|--:|--:|');
for (const [name, warm, cold] of rows) console.log(`| ${name} | ${format(warm)} | ${format(cold)} |`);
