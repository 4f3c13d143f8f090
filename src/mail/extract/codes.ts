/**
 * Finds verification codes (one-time passwords, PINs) so a reader can copy one
 * without opening the mail. Heuristic: candidates shaped like codes are scored
 * by the words that label them, and only likely codes are reported.
 *
 * Cheap by construction, as it runs on every message: only tokens holding a
 * digit are candidates, labels are looked for only as far as the last
 * candidate, and the HTML is read only when the text gave no code.
 */
import { candidates, type Span } from './code-candidates.js';
import { charClass, codePointAt, isBlank, UPPER } from './char-classes.js';
import { Keywords, WEIGHT } from './codes-keywords.js';
import { htmlToText } from '../parse/html-text.js';

/** What `findCodes` reads; `html` is optional and may be null. */
export interface CodeSource {
  subject: string;
  text: string;
  html?: string | null;
}

// Codes sit near the top of a message; scanning more only costs time and
// invites hostile input. Applies to the subject, the text and the HTML's text.
// Exported so the lean digest knows how far it must decode.
export const TEXT_SCAN_LIMIT = 8 * 1024;
const MAX_CODES = 5;
const REPORT_THRESHOLD = 2;
// A bare code alone on a line counts for more, the more so in a short message.
const ALONE_ON_LINE = 1.5;
const ALONE_IN_SHORT_MESSAGE = 1;
const SHORT_MESSAGE_CHARS = 400;
// A subject that speaks of a code makes numbers in the body more likely codes.
const SUBJECT_BONUS = 1;

const URL = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;

// Full-width digits and letters ("８６４２０９"), as Chinese and Japanese mail
// writes them. Not the punctuation: "774512，5分钟" is a code and a number.
const FULL_WIDTH = /[０-９Ａ-Ｚａ-ｚ]/g;
const FULL_WIDTH_OFFSET = 0xfee0;
const CODE_SEPARATORS = /[- ]/g;
// A code is never glued to these: "#123456", "$1234", "+4930…", "50%", "a=1234", "1234@host".
const REJECT_BEFORE = new Set([...'#№$€£¥￥₽₹+@=/\\&©®§~^_°〒']);
const REJECT_AFTER = new Set([...'%‰€$£₽°@+円元원']);
// Nor written next to a currency: "1 299 руб", "EUR 4599".
const CURRENCIES = new Set(['$', '€', '£', '¥', '₽', '₹', '₴', 'usd', 'eur', 'euro', 'euros', 'gbp', 'chf', 'rub', 'руб', 'рублей', 'рубля', 'р', 'inr', 'rs', 'kr', 'sek', 'nok', 'dkk', 'pln', 'zł', 'uah', 'грн', 'dollar', 'dollars', 'cad', 'aud', 'jpy', 'mxn', 'brl']);

// How far a label may be from the code it labels, in characters. Before the
// code, the label must also be in the same sentence.
const LABEL_BEFORE = 120;
const LABEL_AFTER = 40;
const DIRECT_LABEL = 30;
const PREVIOUS_LINE_TAIL = 300;
const PREVIOUS_LINE_FACTOR = 0.8;
const DECORATION = /^[\s*_"'«»„“”()[\]:.!•>-]*$/;
const SENTENCE_ENDS = new Set([...'.!?'].map((char) => char.charCodeAt(0)));

interface Line { start: number; end: number }
interface Context { text: string; keywords: Keywords; short: boolean; bonus: number }
interface Scored { code: string; score: number }

/**
 * Verification codes in the subject, text and visible text of the HTML, most
 * likely first, each once, at most five, as written ("482-193", "G-582013"),
 * but for full-width digits, given in ASCII, and codes spaced for reading
 * ("66 18 42", "8 3 1 5 7 2"), given without the spaces.
 * Reads the first 8,192 characters of the subject, the text and the HTML's
 * visible text, and the HTML only when the text gave no code.
 */
export function findCodes(source: CodeSource): string[] {
  const subjectContext = makeContext(source.subject, 0);
  subjectContext.keywords.scanTo(subjectContext.text.length);
  const bodyBonus = subjectContext.keywords.weights.some((weight) => weight >= WEIGHT.medium) ? SUBJECT_BONUS : 0;
  const scored = scoreCandidates(subjectContext);
  const fromText = scoreCandidates(makeContext(source.text, bodyBonus));
  scored.push(...fromText);
  // The HTML is the same message again, and by far the dearest part to read.
  if (fromText.length === 0 && source.html) scored.push(...scoreCandidates(makeContext(htmlToText(source.html, TEXT_SCAN_LIMIT), bodyBonus)));
  return rank(scored);
}

function makeContext(raw: string, bonus: number): Context {
  // URLs are blanked (keeping offsets) so that ids inside them are not read as codes.
  const text = raw
    .slice(0, TEXT_SCAN_LIMIT)
    .replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(URL, (url) => ' '.repeat(url.length));
  return { text, keywords: new Keywords(text), short: trimmedLength(text) <= SHORT_MESSAGE_CHARS, bonus };
}

function scoreCandidates(context: Context): Scored[] {
  const { text } = context;
  const scored: Scored[] = [];
  const line: Line = { start: 0, end: -1 };
  for (const span of candidates(text)) {
    if (span.start > line.end) {
      line.start = text.lastIndexOf('\n', span.start - 1) + 1;
      const end = text.indexOf('\n', span.start);
      line.end = end < 0 ? text.length : end;
    }
    const score = scoreSpan(context, span, line);
    if (score >= REPORT_THRESHOLD) scored.push({ code: span.code, score });
  }
  return scored;
}

function scoreSpan(context: Context, span: Span, line: Line): number {
  if (!standsApart(context.text, span)) return -Infinity;
  const label = labelWeight(context, span, line);
  if (label === null) return -Infinity;
  const alone = isAloneOnLine(context.text, span, line) ? ALONE_ON_LINE + (context.short ? ALONE_IN_SHORT_MESSAGE : 0) : 0;
  return label + alone + context.bonus + span.shapeScore;
}

// False when the candidate is glued to a symbol, a currency or another number,
// as in prices, phone numbers, card numbers and references.
function standsApart(text: string, span: Span): boolean {
  if (REJECT_BEFORE.has(text[span.start - 1] ?? '') || REJECT_AFTER.has(text[span.end] ?? '')) return false;
  const before = text.slice(Math.max(0, span.start - 12), span.start);
  const after = text.slice(span.end, span.end + 12);
  if (/\d[ \t()–-]{0,2}$/.test(before) || /^[ \t)–-]{0,2}\d/.test(after)) return false;
  if (isPostcode(span.code, before, after)) return false;
  const previousWord = /(\S+)[ \t]*$/.exec(before)?.[1] ?? '';
  const nextWord = /^[ \t]*([^\s.,;:!?)]+)/.exec(after)?.[1] ?? '';
  return !CURRENCIES.has(previousWord.toLowerCase()) && !CURRENCIES.has(nextWord.toLowerCase());
}

// "CA 94105" in the US, "1012 LG" in the Netherlands.
function isPostcode(code: string, before: string, after: string): boolean {
  return (/^\d{5}$/.test(code) && /(?:^|\s)[A-Z]{2},?[ \t]$/.test(before)) || (/^\d{4}$/.test(code) && /^ [A-Z]{2}\b/.test(after));
}

// The weight of the label nearest the candidate: on its line before it, else
// after it, else on the lines just above. Null when the nearest label says it
// is something else ("Order number 4711", "4711 is your order number").
function labelWeight({ text, keywords }: Context, span: Span, line: Line): number | null {
  const afterEnd = Math.min(line.end, span.end + LABEL_AFTER);
  keywords.scanTo(afterEnd);
  const first = keywords.firstFrom(sentenceStart(text, Math.max(line.start, span.start - LABEL_BEFORE), span.start));
  const end = keywords.endBefore(first, span.start);
  if (end > first && keywords.weights[end - 1] === WEIGHT.negative && isDirect(text, keywords.ends[end - 1] as number, span.start)) return null;
  const beforeWeight = keywords.strongest(first, end);
  if (beforeWeight > 0) return beforeWeight;
  const firstAfter = keywords.firstFrom(span.end);
  const endAfter = keywords.endBefore(firstAfter, afterEnd);
  if (endAfter > firstAfter && keywords.weights[firstAfter] === WEIGHT.negative && isDirect(text, span.end, keywords.starts[firstAfter] as number)) return null;
  const afterWeight = keywords.strongest(firstAfter, endAfter);
  if (afterWeight > 0) return afterWeight;
  // Words above introduce a code only when it starts its line.
  return startsLine(text, span, line) ? labelAbove(text, keywords, line) : 0;
}

// Where the sentence holding `to` starts, looking back no further than `from`.
// A sentence ends at a stop, blanks and a capital, so "LAURA G. es 628401" is one.
function sentenceStart(text: string, from: number, to: number): number {
  for (let capital = to - 1; capital >= from + 2; capital -= 1) {
    const codePoint = codePointAt(text, capital);
    if ((charClass(codePoint) & UPPER) === 0 || capital + (codePoint > 0xffff ? 2 : 1) > to) continue;
    let stop = capital;
    while (stop > from && isBlank(text.charCodeAt(stop - 1))) stop -= 1;
    if (stop < capital && stop > from && SENTENCE_ENDS.has(text.charCodeAt(stop - 1))) return capital;
  }
  return from;
}

// The first two non-blank lines of the four above. A code-ish word there labels
// the candidate unless an order/ticket word is there and nothing more specific.
function labelAbove(text: string, keywords: Keywords, current: Line): number | null {
  let seen = 0;
  let end = current.start - 1;
  for (let index = 0; index < 4 && end >= 0 && seen < 2; index += 1) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    const line = { start, end };
    end = start - 1;
    if (isBlankBetween(text, line.start, line.end)) continue;
    seen += 1;
    const first = keywords.firstFrom(Math.max(line.start, line.end - PREVIOUS_LINE_TAIL));
    const last = keywords.endBefore(first, line.end);
    const weight = keywords.strongest(first, last);
    if (weight >= WEIGHT.medium) return weight * PREVIOUS_LINE_FACTOR;
    if (keywords.weights.slice(first, last).includes(WEIGHT.negative)) return null;
    if (weight > 0) return weight * PREVIOUS_LINE_FACTOR;
  }
  return 0;
}

// A label applies directly when it is close and no other number sits between.
function isDirect(text: string, from: number, to: number): boolean {
  if (to - from > DIRECT_LABEL) return false;
  for (let index = from; index < to; index += 1) {
    const char = text.charCodeAt(index);
    if (char >= 48 && char <= 57) return false;
  }
  return true;
}

function isBlankBetween(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (!isBlank(text.charCodeAt(index))) return false;
  return true;
}

function trimmedLength(text: string): number {
  let [start, end] = [0, text.length];
  while (start < end && isBlank(text.charCodeAt(start))) start += 1;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end -= 1;
  return end - start;
}

// Nothing but a little decoration ("**483920**", "> 483920.") between the code and the line's edge.
function startsLine(text: string, span: Span, line: Line): boolean {
  return span.start - line.start <= 4 && DECORATION.test(text.slice(line.start, span.start));
}

function isAloneOnLine(text: string, span: Span, line: Line): boolean {
  return startsLine(text, span, line) && line.end - span.end <= 4 && DECORATION.test(text.slice(span.end, line.end));
}

// Best score per code, the same code written "482-193" and "482193" counting
// once; ties go to the code seen first (the subject, then the text, then the HTML).
function rank(scored: Scored[]): string[] {
  const best = new Map<string, Scored & { order: number }>();
  scored.forEach((entry, order) => {
    const key = entry.code.replace(CODE_SEPARATORS, '');
    const current = best.get(key);
    if (!current || entry.score > current.score) best.set(key, { ...entry, order: current?.order ?? order });
  });
  const ranked = [...best.values()].sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked.slice(0, MAX_CODES).map((entry) => entry.code);
}
