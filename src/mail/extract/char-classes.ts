/**
 * Character classes for the code and keyword scanners, without a RegExp per
 * character: Unicode classes are looked up once per character and kept.
 */

export const LETTER = 1;
export const NUMBER = 2;
export const UPPER = 4;
const KNOWN = 8;
const CLASSES = new Uint8Array(0x10000);
const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;
const IS_UPPER = /^\p{Lu}$/u;

function classify(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  return (IS_LETTER.test(char) ? LETTER : 0) | (IS_NUMBER.test(char) ? NUMBER : 0) | (IS_UPPER.test(char) ? UPPER : 0);
}

/** LETTER, NUMBER and UPPER bits of a code point; 0 for none and for -1 (no character). */
export function charClass(codePoint: number): number {
  if (codePoint < 0) return 0;
  if (codePoint > 0xffff) return classify(codePoint);
  let bits = CLASSES[codePoint] as number;
  if (bits === 0) CLASSES[codePoint] = bits = classify(codePoint) | KNOWN;
  return bits & ~KNOWN;
}

/** The code point at `index` (a whole surrogate pair), or -1 past the end. */
export function codePointAt(text: string, index: number): number {
  return index < text.length ? (text.codePointAt(index) as number) : -1;
}

/** The code point ending just before `index` (a whole surrogate pair), or -1 at the start. */
export function codePointBefore(text: string, index: number): number {
  if (index <= 0) return -1;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/** A letter or a number, as `[\p{L}\p{N}]`. */
export function isWordChar(codePoint: number): boolean {
  return (charClass(codePoint) & (LETTER | NUMBER)) !== 0;
}

/** `\s` of a JavaScript RegExp. */
export function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
