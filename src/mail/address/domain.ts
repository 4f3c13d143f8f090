import { domainToASCII, domainToUnicode } from 'node:url';
import { domainCharacterReason, isInvisible } from './character-reasons.js';
import { addressReason, type AddressReason } from './reasons.js';

/** Outcome of checking a domain: its canonical Unicode form, or why it was refused. */
export type DomainCheck = { ok: true; domain: string; ascii: string } | { ok: false; reason: AddressReason };

const MAX_LABEL_OCTETS = 63;
const MAX_DOMAIN_OCTETS = 253;
const PREVIEW_LENGTH = 20;

// IDNA treats these four as label separators, so they must split labels before mapping too.
const LABEL_SEPARATORS = /[.\u3002\uFF0E\uFF61]/u;
// WHATWG host parsing reads a numeric last label as IPv4 (1.2.3.4, 0x7f.1), which is not a domain.
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/i;
const ASCII_DOMAIN_CHAR = /^[A-Za-z0-9.-]$/;

/**
 * Checks a domain and returns it in canonical form: lower-case Unicode labels
 * (U-labels), so every spelling of one IDN domain compares equal. `ascii` is
 * the A-label form, which is what DNS and the length limits count.
 */
export function checkDomain(raw: string): DomainCheck {
  const early = rawProblem(raw);
  if (early !== null) return { ok: false, reason: early };
  const ascii = domainToASCII(raw);
  if (ascii === '') return { ok: false, reason: addressReason('domain_invalid', { domain: raw }) };
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

function rawProblem(raw: string): AddressReason | null {
  if (raw === '') return addressReason('domain_empty');
  if (raw.startsWith('[')) return addressReason('domain_ip_literal');
  const bad = [...raw].find((char) => !isRawDomainChar(char));
  if (bad !== undefined) return domainCharacterReason(bad);
  return labelsProblem(raw.split(LABEL_SEPARATORS));
}

function isRawDomainChar(char: string): boolean {
  const ascii = char.charCodeAt(0) < 0x80;
  // Non-ASCII is left to IDNA, except what a person cannot see and so could never fix.
  return ascii ? ASCII_DOMAIN_CHAR.test(char) : !isInvisible(char);
}

function mappedProblem(domain: string, ascii: string): AddressReason | null {
  const asciiLabels = ascii.split('.');
  const structure = labelsProblem(asciiLabels);
  if (structure !== null) return structure;
  const bad = [...ascii].find((char) => !ASCII_DOMAIN_CHAR.test(char));
  if (bad !== undefined) return domainCharacterReason(bad);
  return hyphenProblem(domain.split('.')) ?? lengthProblem(asciiLabels, domain.split('.'), ascii);
}

function labelsProblem(labels: readonly string[]): AddressReason | null {
  if (labels.length < 2) return addressReason('domain_no_dot', { domain: labels.join('') });
  if (labels[0] === '') return addressReason('domain_leading_dot');
  const last = labels.at(-1) ?? '';
  if (last === '') return addressReason('domain_trailing_dot');
  if (labels.includes('')) return addressReason('domain_double_dot');
  if (NUMERIC_LABEL.test(last)) return addressReason('domain_numeric', { label: last });
  return null;
}

function hyphenProblem(labels: readonly string[]): AddressReason | null {
  const bad = labels.find((label) => label.startsWith('-') || label.endsWith('-'));
  return bad === undefined ? null : addressReason('domain_label_hyphen', { label: bad });
}

function lengthProblem(asciiLabels: readonly string[], labels: readonly string[], ascii: string): AddressReason | null {
  const long = asciiLabels.findIndex((label) => label.length > MAX_LABEL_OCTETS);
  if (long >= 0) return addressReason('domain_label_too_long', { label: preview(labels[long] ?? ''), limit: MAX_LABEL_OCTETS });
  if (ascii.length > MAX_DOMAIN_OCTETS) return addressReason('domain_too_long', { length: ascii.length, limit: MAX_DOMAIN_OCTETS });
  return null;
}

function preview(text: string): string {
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
}
