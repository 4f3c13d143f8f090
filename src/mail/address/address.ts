import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { codePoint, nameCharacterReason } from './character-reasons.js';
import { checkDomain, type DomainChecker } from './domain.js';
import { addressReason, type AddressReason } from './reasons.js';

export { canonicalDomain, memoizedDomainChecker, type DomainChecker } from './domain.js';

/** Which domains this instance receives mail for. */
export interface DomainPolicy {
  /** Accepted domains, each already in canonical form (see `canonicalDomain`). */
  domains: string[];
  /** Domain for generated inboxes; canonical, and always accepted. */
  defaultDomain: string;
  /** When true, any syntactically valid domain is accepted as well. */
  catchAll: boolean;
  /** The failure simulator's domain, `simulator.` + the default domain (canonical), always accepted; null when --simulator is off. */
  simulatorDomain: string | null;
}

/** A normalised address: the inbox it delivers to, plus the +tag it carried. */
export interface InboxAddress {
  /** `${localPart}@${domain}`: the key that identifies the inbox. */
  inbox: string;
  /** Lower-cased, NFC local part without the +tag. */
  localPart: string;
  /** Canonical domain (lower-case Unicode labels). */
  domain: string;
  /** Lower-cased text after the first +, or null when there was none or it was empty. */
  tag: string | null;
}

/** Result of `checkAddress`: the normalised address, or why not (its `text` is a sentence a person can act on). */
export type AddressCheck = { ok: true; address: InboxAddress } | { ok: false; reason: AddressReason };

/** Options shared by the checks. */
export interface AddressOptions {
  /**
   * True to allow Unicode letters and digits in the local part, as addresses
   * in API paths do. Defaults to false: Latin letters only, the rule of chosen
   * names and RCPT TO (chosen-address.ts), SMTPUTF8 or not.
   */
  smtpUtf8?: boolean;
  /** Checks the domain; defaults to `checkDomain`. A memo (`memoizedDomainChecker`) saves the IDNA work. */
  checkDomain?: DomainChecker;
}

/** Source of uniformly random bytes; `node:crypto` randomBytes in production. */
export type RandomBytes = (size: number) => Uint8Array;

// Lower-case letters and digits minus the look-alikes 0/o and 1/l/i, so a name survives being read aloud.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 6;
const SEPARATOR = '-';
// The largest multiple of 31 that fits in a byte: bytes at or above it are redrawn,
// because wrapping them with % would make the first few letters more likely.
const ACCEPT_BELOW = 256 - (256 % ALPHABET.length);

const MAX_LOCAL_OCTETS = 64;
const MAX_ADDRESS_OCTETS = 254;

const ASCII_LOCAL_CHAR = /^[A-Za-z0-9._+-]$/;
const ASCII_LOCAL_PART = /^[A-Za-z0-9._+-]+$/;
const UNICODE_LOCAL_CHAR = /^[\p{L}\p{N}._+-]$/u;
const BLANK = /[\s\p{Z}]/u;

type LocalCheck =
  | { ok: true; localPart: string; tag: string | null; octets: number }
  | { ok: false; reason: AddressReason };

/**
 * Checks and normalises a full address. Surrounding whitespace is dropped;
 * anything else that is wrong is refused with a reason rather than repaired.
 * Never throws: every string gets either an address or a reason.
 */
export function checkAddress(input: string, options: AddressOptions = {}): AddressCheck {
  const text = input.trim();
  const early = addressShapeProblem(text);
  if (early !== null) return { ok: false, reason: early };
  const at = text.indexOf('@');
  const local = parseLocalPart(text.slice(0, at), options.smtpUtf8 === true);
  if (!local.ok) return local;
  const domain = (options.checkDomain ?? checkDomain)(text.slice(at + 1));
  if (!domain.ok) return domain;
  const octets = local.octets + 1 + domain.ascii.length;
  if (octets > MAX_ADDRESS_OCTETS) {
    return { ok: false, reason: addressReason('address_too_long', { length: octets, limit: MAX_ADDRESS_OCTETS }) };
  }
  const { localPart, tag } = local;
  const inbox = `${localPart}@${domain.domain}`;
  return { ok: true, address: { inbox, localPart, domain: domain.domain, tag } };
}

/**
 * Checks a local part on its own, as when a person picks an inbox name.
 * Returns the reason it is invalid, or null when it is fine.
 */
export function checkLocalPart(localPart: string, options: AddressOptions = {}): AddressReason | null {
  const check = parseLocalPart(localPart, options.smtpUtf8 === true);
  return check.ok ? null : check.reason;
}

/** True when mail for `domain` (already canonical) is received under `policy`. */
export function isAcceptedDomain(domain: string, policy: DomainPolicy): boolean {
  if (domain === policy.defaultDomain || domain === policy.simulatorDomain || policy.domains.includes(domain)) return true;
  return policy.catchAll && checkDomain(domain).ok;
}

/** Entropy of one generated local part, in bits (18 symbols from 31: about 89). */
export const GENERATED_LOCAL_PART_BITS = Math.floor(GROUPS * GROUP_LENGTH * Math.log2(ALPHABET.length));

/**
 * A random local part such as `k7m3qa-xr9tpe-w4hn2c`: three groups of six
 * characters from an alphabet without look-alikes, drawn by rejection sampling.
 * `random` is injectable so tests can feed bytes that must be rejected.
 */
export function generateLocalPart(random: RandomBytes = randomBytes): string {
  const symbols = drawSymbols(GROUPS * GROUP_LENGTH, random);
  const groups: string[] = [];
  for (let start = 0; start < symbols.length; start += GROUP_LENGTH) {
    groups.push(symbols.slice(start, start + GROUP_LENGTH));
  }
  return groups.join(SEPARATOR);
}

function addressShapeProblem(text: string): AddressReason | null {
  if (text === '') return addressReason('address_empty');
  // "Name <a@b.c>" is a header form; accepting it silently would hide a paste mistake.
  if (text.endsWith('>') && text.includes('<')) return addressReason('address_angle_brackets');
  const shared = quotedProblem(text) ?? blankProblem(text, 'address');
  if (shared !== null) return shared;
  const ats = text.split('@').length - 1;
  if (ats === 0) return addressReason('address_no_at');
  if (ats > 1) return addressReason('address_many_at', { count: ats });
  return null;
}

function quotedProblem(text: string): AddressReason | null {
  return text.startsWith('"') ? addressReason('name_quoted') : null;
}

function blankProblem(text: string, part: 'address' | 'name'): AddressReason | null {
  const blank = BLANK.exec(text)?.[0];
  if (blank === undefined) return null;
  if (blank === ' ') return addressReason(part === 'address' ? 'address_space' : 'name_space');
  return addressReason(part === 'address' ? 'address_blank' : 'name_blank', { codePoint: codePoint(blank) });
}

function parseLocalPart(raw: string, smtpUtf8: boolean): LocalCheck {
  const early = localCharactersProblem(raw, smtpUtf8);
  if (early !== null) return { ok: false, reason: early };
  // Lower-casing the letters that passed above never undoes NFC (checked over all of Unicode),
  // so one NFC pass before it is enough.
  const normal = (smtpUtf8 ? raw.normalize('NFC') : raw).toLowerCase();
  const plus = normal.indexOf('+');
  const localPart = plus < 0 ? normal : normal.slice(0, plus);
  const reason = dotsProblem(normal) ?? tagProblem(localPart, plus >= 0) ?? localLengthProblem(normal);
  if (reason !== null) return { ok: false, reason };
  const tag = plus < 0 || plus === normal.length - 1 ? null : normal.slice(plus + 1);
  return { ok: true, localPart, tag, octets: utf8Length(normal) };
}

function localCharactersProblem(raw: string, smtpUtf8: boolean): AddressReason | null {
  if (raw === '') return addressReason('name_empty');
  const shared = quotedProblem(raw) ?? blankProblem(raw, 'name');
  if (shared !== null) return shared;
  // Allowed whether or not SMTPUTF8 was negotiated, and unchanged by NFC and lower-casing.
  if (ASCII_LOCAL_PART.test(raw)) return null;
  const isAllowed = (char: string): boolean => (smtpUtf8 ? UNICODE_LOCAL_CHAR : ASCII_LOCAL_CHAR).test(char);
  const chars = [...raw.normalize('NFC')];
  // The NFC form names a decomposed 'á' as the person sees it; without SMTPUTF8 the raw text
  // is checked too, so compatibility forms such as the Kelvin sign are refused, not folded into ASCII.
  const rawBad = smtpUtf8 ? undefined : [...raw].find((char) => !isAllowed(char));
  const bad = chars.find((char) => !isAllowed(char)) ?? rawBad;
  if (bad !== undefined) return nameCharacterReason(bad, smtpUtf8);
  // A letter whose lower case needs a combining mark (İ -> i + U+0307) would make the inbox itself invalid.
  const unfoldable = chars.find((char) => ![...char.toLowerCase()].every(isAllowed));
  if (unfoldable === undefined) return null;
  return addressReason('name_no_lower_case', { character: unfoldable });
}

function dotsProblem(localPart: string): AddressReason | null {
  if (localPart.startsWith('.')) return addressReason('name_leading_dot');
  if (localPart.endsWith('.')) return addressReason('name_trailing_dot');
  if (localPart.includes('..')) return addressReason('name_double_dot');
  return null;
}

function tagProblem(name: string, tagged: boolean): AddressReason | null {
  if (!tagged) return null;
  if (name === '') return addressReason('name_only_tag');
  // The inbox drops the tag, and "name.@" on its own would break the trailing-dot rule.
  if (name.endsWith('.')) return addressReason('name_dot_before_tag');
  return null;
}

function localLengthProblem(localPart: string): AddressReason | null {
  const octets = utf8Length(localPart);
  if (octets <= MAX_LOCAL_OCTETS) return null;
  // More bytes than characters: the hint says why a name that looks short is long.
  const code = octets > localPart.length ? 'name_too_long_non_ascii' : 'name_too_long';
  return addressReason(code, { length: octets, limit: MAX_LOCAL_OCTETS });
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function drawSymbols(count: number, random: RandomBytes): string {
  let symbols = '';
  while (symbols.length < count) {
    for (const byte of random(count - symbols.length)) {
      if (byte < ACCEPT_BELOW) symbols += ALPHABET.charAt(byte % ALPHABET.length);
    }
  }
  return symbols;
}
