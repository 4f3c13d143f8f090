import { domainToASCII, domainToUnicode } from 'node:url';

/** Outcome of checking a domain: its canonical Unicode form, or why it was refused. */
export type DomainCheck = { ok: true; domain: string; ascii: string } | { ok: false; reason: string };

const MAX_LABEL_OCTETS = 63;
const MAX_DOMAIN_OCTETS = 253;
const PREVIEW_LENGTH = 20;

// IDNA treats these four as label separators, so they must split labels before mapping too.
const LABEL_SEPARATORS = /[.\u3002\uFF0E\uFF61]/u;
// WHATWG host parsing reads a numeric last label as IPv4 (1.2.3.4, 0x7f.1), which is not a domain.
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/i;
const ASCII_DOMAIN_CHAR = /^[A-Za-z0-9.-]$/;
const INVISIBLE_CHAR = /^[\p{C}\p{Z}\s]$/u;
const MARK = /^\p{M}$/u;
const VISIBLE_ASCII = /^[\x21-\x7e]$/;

/**
 * How a character is named in a reason: itself in quotes when it can be seen,
 * its code point when it is blank, a control, a combining mark or an ASCII look-alike.
 */
export function describeCharacter(char: string): string {
  if (MARK.test(char)) return `the combining mark ${codePoint(char)}`;
  if (INVISIBLE_CHAR.test(char)) return `the invisible character ${codePoint(char)}`;
  const lookalike = char.normalize('NFKC');
  // A full-width 'Ａ' or the Kelvin sign looks like plain ASCII, so refusing it needs the code point to make sense.
  if (char.charCodeAt(0) >= 0x80 && VISIBLE_ASCII.test(lookalike)) {
    return `'${char}' (${codePoint(char)}, a look-alike of '${lookalike}')`;
  }
  return `'${char}'`;
}

/** The Unicode code point of `char` in U+XXXX notation. */
export function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks a domain and returns it in canonical form: lower-case Unicode labels
 * (U-labels), so every spelling of one IDN domain compares equal. `ascii` is
 * the A-label form, which is what DNS and the length limits count.
 */
export function checkDomain(raw: string): DomainCheck {
  const early = rawProblem(raw);
  if (early !== null) return { ok: false, reason: early };
  const ascii = domainToASCII(raw);
  if (ascii === '') return { ok: false, reason: `'${raw}' is not a valid domain name.` };
  const domain = domainToUnicode(ascii);
  // IDNA mapping can turn full-width or ignorable characters into new problems, so check again.
  const late = mappedProblem(domain, ascii);
  return late === null ? { ok: true, domain, ascii } : { ok: false, reason: late };
}

/** A domain check with the signature of `checkDomain`. */
export type DomainChecker = (raw: string) => DomainCheck;

/**
 * `checkDomain` with the answers for the last `capacity` distinct spellings
 * kept. Its IDNA conversions were most of an address check at full ingest,
 * and mail comes to a handful of domains; a sender naming many others only
 * cycles the memo, at the cost of checking without one.
 */
export function memoizedDomainChecker(capacity = 256): DomainChecker {
  const known = new Map<string, DomainCheck>();
  return (raw) => {
    const remembered = known.get(raw);
    if (remembered !== undefined) return remembered;
    // Frozen, since every caller with the same spelling gets this one object.
    const check = Object.freeze(checkDomain(raw));
    // Spellings longer than any domain may be are checked each time instead: kept, they
    // would let a client fill the memo with megabytes of command-line text.
    if (raw.length > MAX_DOMAIN_OCTETS) return check;
    if (known.size >= capacity) known.delete(known.keys().next().value as string);
    known.set(raw, check);
    return check;
  };
}

/** The canonical Unicode form of `domain`, or null when it is not a valid domain. */
export function canonicalDomain(domain: string): string | null {
  const check = checkDomain(domain);
  return check.ok ? check.domain : null;
}

function rawProblem(raw: string): string | null {
  if (raw === '') return 'The domain (the part after the @) is empty; it should look like example.com.';
  if (raw.startsWith('[')) {
    return 'Addresses at an IP address such as [1.2.3.4] are not accepted; use a domain name like example.com.';
  }
  const bad = [...raw].find((char) => !isRawDomainChar(char));
  if (bad !== undefined) return badDomainCharacter(bad);
  return labelsProblem(raw.split(LABEL_SEPARATORS));
}

function isRawDomainChar(char: string): boolean {
  const ascii = char.charCodeAt(0) < 0x80;
  // Non-ASCII is left to IDNA, except what a person cannot see and so could never fix.
  return ascii ? ASCII_DOMAIN_CHAR.test(char) : !INVISIBLE_CHAR.test(char);
}

function mappedProblem(domain: string, ascii: string): string | null {
  const asciiLabels = ascii.split('.');
  const structure = labelsProblem(asciiLabels);
  if (structure !== null) return structure;
  const bad = [...ascii].find((char) => !ASCII_DOMAIN_CHAR.test(char));
  if (bad !== undefined) return badDomainCharacter(bad);
  return hyphenProblem(domain.split('.')) ?? lengthProblem(asciiLabels, domain.split('.'), ascii);
}

function badDomainCharacter(char: string): string {
  return `Only letters, digits, hyphens and dots are allowed in the domain; ${describeCharacter(char)} is not.`;
}

function labelsProblem(labels: readonly string[]): string | null {
  if (labels.length < 2) {
    return `The domain '${labels.join('')}' has no dot; it should look like example.com.`;
  }
  if (labels[0] === '') return 'The domain cannot start with a dot.';
  const last = labels.at(-1) ?? '';
  if (last === '') return 'The domain cannot end with a dot.';
  if (labels.includes('')) return 'The domain cannot have two dots in a row.';
  if (NUMERIC_LABEL.test(last)) {
    const advice = 'use a domain name like example.com.';
    return `The domain ends in a number ('${last}'), so it looks like an IP address; ${advice}`;
  }
  return null;
}

function hyphenProblem(labels: readonly string[]): string | null {
  const bad = labels.find((label) => label.startsWith('-') || label.endsWith('-'));
  return bad === undefined ? null : `A part of the domain cannot start or end with a hyphen ('${bad}').`;
}

function lengthProblem(asciiLabels: readonly string[], labels: readonly string[], ascii: string): string | null {
  const long = asciiLabels.findIndex((label) => label.length > MAX_LABEL_OCTETS);
  if (long >= 0) {
    const shown = preview(labels[long] ?? '');
    const limit = `each part between dots can have at most ${MAX_LABEL_OCTETS} characters`;
    return `The part '${shown}' of the domain is too long; ${limit}.`;
  }
  if (ascii.length > MAX_DOMAIN_OCTETS) {
    return `The domain is ${ascii.length} characters long; the limit is ${MAX_DOMAIN_OCTETS}.`;
  }
  return null;
}

function preview(text: string): string {
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
}
