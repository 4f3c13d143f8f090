/**
 * Where verification codes may be written: tokens shaped like codes
 * ("483920", "G-582013", "7F3K9Q") and runs of digit groups ("748 291",
 * "66 18 42"), each with how much its shape alone suggests a code.
 */
import { codePointAt, codePointBefore, isWordChar } from './char-classes.js';

/** A candidate code: where it is written, the code as reported, and its shape's score. */
export interface Span {
  start: number;
  end: number;
  code: string;
  shapeScore: number;
}

interface Run {
  start: number;
  end: number;
  digits: number;
  groups: number;
}

// Shapes a code is written in, with how much each shape on its own suggests a
// code. Every shape has a digit, so tokens without one are never looked at.
const SHAPES: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\d{6}$/, 0.25],
  [/^\d{4}$/, -0.5],
  [/^\d{5,8}$/, 0],
  [/^(?:\d{3}[- ]\d{3}|\d{4}-\d{4})$/, 0],
  [/^[A-Z]{1,4}-\d{4,8}$/, 0.5],
  [/^(?=[A-Z-]*\d)(?=[\d-]*[A-Z])[A-Z0-9]{3,5}-[A-Z0-9]{3,5}$/, 0],
  [/^(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{4,10}$/, -0.5],
];
// Looks like something other than a random code: a year, a date, "SAVE20", "RTX4090".
const UNLIKELY = [/^(?:19|20)\d\d$/, /^(?:19|20)\d\d-(?:19|20)\d\d$/, /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/, /^(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d$/, /^[A-Z]+\d+$/, /^\d+[A-Z]+$/];
const UNLIKELY_PENALTY = 2;
// Digits in groups with single spaces between: "123 456" is a written form
// and kept as written; "66 18 42" and "8 3 1 5 7 2" are spaced for reading
// and joined. Other groupings are phone numbers, amounts and dates.
const GROUP = /^\d{1,3}$/;
const SPACED_FORMS: ReadonlyArray<{ digits: number; groups: readonly [number, number]; joined: boolean }> = [
  { digits: 3, groups: [2, 2], joined: false },
  { digits: 2, groups: [3, 4], joined: true },
  { digits: 1, groups: [4, 8], joined: true },
];
// Tokens are words and numbers, "12.05.2024", "G-582013" or "1,299" kept whole
// to be judged whole: letter and digit runs joined by single separators.
const TOKEN_SEPARATORS = new Set([...'-.,/'].map((char) => char.charCodeAt(0)));

/**
 * Tokens shaped like codes, plus runs of digit groups in a SPACED_FORMS form,
 * in the order they start. Found from their digits: a code always has one,
 * and most words never do.
 */
export function candidates(text: string): Span[] {
  const spans: Span[] = [];
  let run: Run | null = null;
  for (let index = nextDigit(text, 0); index >= 0; index = nextDigit(text, index)) {
    const start = tokenStart(text, index);
    const end = tokenEnd(text, index);
    const token = text.slice(start, end);
    const group = GROUP.test(token);
    if (run && group && start === run.end + 1 && text[run.end] === ' ' && token.length === run.digits) {
      run.end = end;
      run.groups += 1;
    } else {
      if (run) pushSpaced(text, run, spans);
      run = group ? { start, end, digits: token.length, groups: 1 } : null;
    }
    const shapeScore = shapeScoreOf(token);
    if (shapeScore !== null) spans.push({ start, end, code: token, shapeScore });
    index = end;
  }
  if (run) pushSpaced(text, run, spans);
  return spans;
}

// The whole run only: part of "0800 330 1000" or "482 193 847" is no code.
function pushSpaced(text: string, run: Run, spans: Span[]): void {
  const form = SPACED_FORMS.find(({ digits, groups }) => digits === run.digits && run.groups >= groups[0] && run.groups <= groups[1]);
  if (!form) return;
  const written = text.slice(run.start, run.end);
  spans.push({ start: run.start, end: run.end, code: form.joined ? written.replaceAll(' ', '') : written, shapeScore: 0 });
}

// Where the next ASCII digit is, from `from` on; -1 if none. A RegExp search is
// far quicker than a loop over the characters.
function nextDigit(text: string, from: number): number {
  // A literal per call: V8 shares its compiled code, and a module-level /g RegExp would carry lastIndex between callers.
  const digit = /\d/g;
  digit.lastIndex = from;
  return digit.test(text) ? digit.lastIndex - 1 : -1;
}

function tokenStart(text: string, from: number): number {
  let start = from;
  for (;;) {
    const before = codePointBefore(text, start);
    if (isTokenChar(before)) start -= before > 0xffff ? 2 : 1;
    else if (TOKEN_SEPARATORS.has(before) && isTokenChar(codePointBefore(text, start - 1))) start -= 1;
    else return start;
  }
}

function tokenEnd(text: string, from: number): number {
  let end = from;
  for (;;) {
    const next = codePointAt(text, end);
    if (isTokenChar(next)) end += next > 0xffff ? 2 : 1;
    else if (TOKEN_SEPARATORS.has(next) && isTokenChar(codePointAt(text, end + 1))) end += 1;
    else return end;
  }
}

// Chinese, Japanese and Korean write a code against the words around it
// ("验证码为305519，", "804317입니다"), so their letters end a token.
function isTokenChar(codePoint: number): boolean {
  return isWordChar(codePoint) && !isCjk(codePoint);
}

function isCjk(codePoint: number): boolean {
  return (codePoint >= 0x3040 && codePoint <= 0x30ff) || (codePoint >= 0x3400 && codePoint <= 0x9fff) || (codePoint >= 0xac00 && codePoint <= 0xd7af) ||
    (codePoint >= 0x1100 && codePoint <= 0x11ff) || (codePoint >= 0x3130 && codePoint <= 0x318f) || (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xff66 && codePoint <= 0xff9f) || (codePoint >= 0x20000 && codePoint <= 0x3ffff);
}

function shapeScoreOf(token: string): number | null {
  const shape = SHAPES.find(([pattern]) => pattern.test(token));
  if (!shape) return null;
  return shape[1] - (UNLIKELY.some((pattern) => pattern.test(token)) ? UNLIKELY_PENALTY : 0);
}
