/**
 * Every reason an address, a chosen name or a domain is refused, in one
 * table: a stable snake_case code for programs and for pages that say it in
 * another language, the values its sentence names, and the English sentence
 * that SMTP replies and API problems carry. The codes are the table's keys,
 * so a reason cannot be made without its code and the list cannot drift.
 */

/** A refusal: its code, the values its sentence names, and the sentence. */
export type AddressReason = {
  [C in AddressReasonCode]: { readonly code: C; readonly values: ReasonValues<C>; readonly text: string };
}[AddressReasonCode];

/** The stable code of a refusal. */
export type AddressReasonCode = keyof typeof SENTENCES;

/** The values the sentence of reason `C` names; empty when it names none. */
export type ReasonValues<C extends AddressReasonCode> =
  Parameters<(typeof SENTENCES)[C]> extends [infer V] ? V : Record<string, never>;

type CodePoint = { codePoint: string };
type Character = { character: string };
type Lookalike = { character: string; codePoint: string; lookalikeOf: string };
type Length = { length: number; limit: number };
type Label = { label: string };
type Domain = { domain: string };
type Policy = { domain: string; domains: string[] };
type Simulator = { domain: string; names: string[] };

const LATIN_RULE = 'Only Latin letters, digits, dot, hyphen, underscore and plus are allowed';
const UNICODE_RULE = 'Only letters, digits, dot, hyphen, underscore and plus are allowed';
const DOMAIN_RULE = 'Only letters, digits, hyphens and dots are allowed in the domain';
const USE_A_DOMAIN = 'use a domain name like example.com.';

// How a refused character is named: itself when it can be seen, else (or as well, for a look-alike) its code point.
const mark = ({ codePoint }: CodePoint) => `the combining mark ${codePoint}`;
const invisible = ({ codePoint }: CodePoint) => `the invisible character ${codePoint}`;
const lookalike = (v: Lookalike) => `'${v.character}' (${v.codePoint}, a look-alike of '${v.lookalikeOf}')`;
const shown = ({ character }: Character) => `'${character}'`;

const SENTENCES = {
  address_empty: () => 'Please enter an email address; this one is empty.',
  address_angle_brackets: () => 'Write just the address, without angle brackets < > or a name around it.',
  address_space: () => 'The address has a space in it; addresses cannot contain spaces.',
  address_blank: (v: CodePoint) => `The address has a blank character (${v.codePoint}) in it; addresses cannot contain spaces or blanks.`,
  address_no_at: () => 'There is no @ in the address; it should look like name@example.com.',
  address_many_at: (v: { count: number }) => `The address has ${v.count} @ signs; it can have only one, between the name and the domain.`,
  address_too_long: (v: Length) => `The address is ${v.length} bytes long; the limit is ${v.limit}.`,

  name_empty: () => 'The name (the part before the @) is empty.',
  name_quoted: () => 'Quoted names such as "john doe"@example.com are not supported; use letters, digits, dot, hyphen, underscore and plus instead.',
  name_space: () => 'The name has a space in it; addresses cannot contain spaces.',
  name_blank: (v: CodePoint) => `The name has a blank character (${v.codePoint}) in it; addresses cannot contain spaces or blanks.`,
  // Chosen names and RCPT TO (chosen-address.ts): Latin letters only. `script` is the letter's ISO 15924 code, such as Cyrl.
  name_non_latin: (v: { character: string; script: string }) => `${LATIN_RULE}; ${shown(v)} is not.`,
  name_extended_latin: (v: Character) => `${LATIN_RULE}; ${shown(v)} is not.`,
  name_forbidden_character: (v: Character) => `${LATIN_RULE}; ${shown(v)} is not.`,
  name_lookalike: (v: Lookalike) => `${LATIN_RULE}; ${lookalike(v)} is not.`,
  name_combining_mark: (v: CodePoint) => `${LATIN_RULE}; ${mark(v)} is not.`,
  name_invisible_character: (v: CodePoint) => `${LATIN_RULE}; ${invisible(v)} is not.`,
  // Addresses in API paths: letters of any script.
  name_forbidden_character_utf8: (v: Character) => `${UNICODE_RULE}; ${shown(v)} is not.`,
  name_lookalike_utf8: (v: Lookalike) => `${UNICODE_RULE}; ${lookalike(v)} is not.`,
  name_combining_mark_utf8: (v: CodePoint) => `${UNICODE_RULE}; ${mark(v)} is not.`,
  name_invisible_character_utf8: (v: CodePoint) => `${UNICODE_RULE}; ${invisible(v)} is not.`,
  name_no_lower_case: (v: Character) => `${shown(v)} has no plain lower-case form, so it cannot be used in an address.`,
  name_leading_dot: () => 'The name cannot start with a dot.',
  name_trailing_dot: () => 'The name cannot end with a dot.',
  name_double_dot: () => "The name cannot have two dots in a row ('..').",
  name_only_tag: () => 'The name cannot be only a +tag; put a name before the +, as in name+tag.',
  name_dot_before_tag: () => 'The name cannot end with a dot right before the +.',
  name_too_long: (v: Length) => `The name is ${v.length} bytes long; the limit is ${v.limit} bytes.`,
  name_too_long_non_ascii: (v: Length) => `The name is ${v.length} bytes long (letters outside A-Z take 2 to 4 bytes each); the limit is ${v.limit} bytes.`,

  domain_empty: () => 'The domain (the part after the @) is empty; it should look like example.com.',
  domain_ip_literal: () => 'Addresses at an IP address such as [1.2.3.4] are not accepted; use a domain name like example.com.',
  domain_forbidden_character: (v: Character) => `${DOMAIN_RULE}; ${shown(v)} is not.`,
  domain_invisible_character: (v: CodePoint) => `${DOMAIN_RULE}; ${invisible(v)} is not.`,
  domain_invalid: (v: Domain) => `'${v.domain}' is not a valid domain name.`,
  domain_no_dot: (v: Domain) => `The domain '${v.domain}' has no dot; it should look like example.com.`,
  domain_leading_dot: () => 'The domain cannot start with a dot.',
  domain_trailing_dot: () => 'The domain cannot end with a dot.',
  domain_double_dot: () => 'The domain cannot have two dots in a row.',
  domain_numeric: (v: Label) => `The domain ends in a number ('${v.label}'), so it looks like an IP address; ${USE_A_DOMAIN}`,
  domain_label_hyphen: (v: Label) => `A part of the domain cannot start or end with a hyphen ('${v.label}').`,
  domain_label_too_long: (v: Label & { limit: number }) =>
    `The part '${v.label}' of the domain is too long; each part between dots can have at most ${v.limit} characters.`,
  domain_too_long: (v: Length) => `The domain is ${v.length} characters long; the limit is ${v.limit}.`,

  // This server's domains rather than the address's form; `domain` is as the request wrote it.
  domain_not_accepted: (v: Policy) => `This server does not take mail for "${v.domain}"; choose one of ${v.domains.join(', ')}.`,
  address_domain_not_accepted: (v: Policy) =>
    `This server does not take mail for ${v.domain}, so that inbox can never receive anything; use an address at ${v.domains.join(' or ')}.`,
  simulator_domain: (v: Simulator) => `${v.domain} belongs to the failure simulator, whose addresses are fixed: ${v.names.join(', ')}. `
    + "Send to them as they are; mail that greylist@ and slow@ accept can be read like any inbox's.",
  simulator_unknown_address: (v: Simulator & { address: string }) =>
    `${v.address} is not one of the failure simulator's addresses; it has ${v.names.join(', ')} at ${v.domain} (see README).`,
};

/** Every code, in the table's order: the enum the OpenAPI document lists. */
export const ADDRESS_REASON_CODES = Object.keys(SENTENCES) as [AddressReasonCode, ...AddressReasonCode[]];

/** The reason `code`, with its values (for the codes that have some) and its English sentence. */
export function addressReason<C extends AddressReasonCode>(code: C, ...values: Parameters<(typeof SENTENCES)[C]>): AddressReason {
  const sentence = SENTENCES[code] as (given?: ReasonValues<C>) => string;
  const given = values[0] as ReasonValues<C> | undefined;
  // Sound by construction: `code` picked the sentence and `values` are typed by the same code.
  return { code, values: given ?? {}, text: sentence(given) } as AddressReason;
}
