import type { AddressReasonCode } from '../../src/mail/address/reasons.js';

/**
 * One real input per address refusal reason, with the values its sentence
 * names: the API's tests reach each reason from it, and the page's tests
 * check that each has words with exactly those slots.
 */
export type Values = Record<string, string | number | string[]>;
/** An {address} path parameter (SMTPUTF8 rules), or a chosen name checked as the page's name dialog does (Latin only). */
export type Input = { address: string } | { localPart: string; domain?: string };
export type Example = [code: AddressReasonCode, input: Input, values: Values, strict?: 'strict'];

const label63 = 'a'.repeat(63);
const SIMULATOR_NAMES = ['bounce', 'mailbox-full', 'tempfail', 'greylist', 'slow', 'reject-data'];
export const STRICT_DOMAINS = ['mail.test', 'other.test'];

export const EXAMPLES: Example[] = [
  ['address_empty', { address: ' ' }, {}],
  ['address_angle_brackets', { address: 'Alice <alice@ephemail.test>' }, {}],
  ['address_space', { address: 'john doe@ephemail.test' }, {}],
  ['address_blank', { address: 'john\u00a0doe@ephemail.test' }, { codePoint: 'U+00A0' }],
  ['address_no_at', { address: 'alice.ephemail.test' }, {}],
  ['address_many_at', { address: 'a@b@ephemail.test' }, { count: 2 }],
  ['address_too_long', { address: `${'a'.repeat(64)}@${label63}.${label63}.${label63}.${'a'.repeat(57)}.com` }, { length: 318, limit: 254 }],
  ['name_empty', { localPart: '' }, {}],
  ['name_quoted', { localPart: '"john doe"' }, {}],
  ['name_space', { localPart: 'john doe' }, {}],
  ['name_blank', { localPart: 'john\tdoe' }, { codePoint: 'U+0009' }],
  ['name_non_latin', { localPart: 'жанна' }, { character: 'ж', script: 'Cyrl' }],
  ['name_extended_latin', { localPart: 'josé' }, { character: 'é' }],
  ['name_forbidden_character', { localPart: 'a!b' }, { character: '!' }],
  ['name_lookalike', { localPart: '\u212Aelvin' }, { character: '\u212A', codePoint: 'U+212A', lookalikeOf: 'K' }],
  ['name_combining_mark', { localPart: '\u0301a' }, { codePoint: 'U+0301' }],
  ['name_invisible_character', { localPart: 'a\u200bb' }, { codePoint: 'U+200B' }],
  ['name_forbidden_character_utf8', { address: 'a/b@ephemail.test' }, { character: '/' }],
  ['name_lookalike_utf8', { address: 'a\uff01b@ephemail.test' }, { character: '\uff01', codePoint: 'U+FF01', lookalikeOf: '!' }],
  ['name_combining_mark_utf8', { address: '\u0915\u093f@ephemail.test' }, { codePoint: 'U+093F' }],
  ['name_invisible_character_utf8', { address: 'a\u200bb@ephemail.test' }, { codePoint: 'U+200B' }],
  ['name_no_lower_case', { address: 'İstanbul@ephemail.test' }, { character: 'İ' }],
  ['name_leading_dot', { localPart: '.alice' }, {}],
  ['name_trailing_dot', { localPart: 'alice.' }, {}],
  ['name_double_dot', { localPart: 'al..ice' }, {}],
  ['name_only_tag', { localPart: '+news' }, {}],
  ['name_dot_before_tag', { localPart: 'alice.+news' }, {}],
  ['name_too_long', { localPart: 'a'.repeat(65) }, { length: 65, limit: 64 }],
  ['name_too_long_non_ascii', { address: `${'ж'.repeat(33)}@ephemail.test` }, { length: 66, limit: 64 }],
  ['domain_empty', { address: 'alice@' }, {}],
  ['domain_ip_literal', { address: 'alice@[1.2.3.4]' }, {}],
  ['domain_forbidden_character', { address: 'alice@exa_mple.com' }, { character: '_' }],
  ['domain_invisible_character', { address: 'alice@exa\u200bmple.com' }, { codePoint: 'U+200B' }],
  ['domain_invalid', { address: 'alice@xn--zz.com' }, { domain: 'xn--zz.com' }],
  ['domain_no_dot', { address: 'alice@localhost' }, { domain: 'localhost' }],
  ['domain_leading_dot', { address: 'alice@.example.com' }, {}],
  ['domain_trailing_dot', { address: 'alice@example.com.' }, {}],
  ['domain_double_dot', { address: 'alice@example..com' }, {}],
  ['domain_numeric', { address: 'alice@1.2.3.4' }, { label: '4' }],
  ['domain_label_hyphen', { address: 'alice@-example.com' }, { label: '-example' }],
  ['domain_label_too_long', { address: `alice@${'a'.repeat(64)}.com` }, { label: `${'a'.repeat(20)}…`, limit: 63 }],
  ['domain_too_long', { address: `alice@${label63}.${label63}.${label63}.${'a'.repeat(61)}.com` }, { length: 257, limit: 253 }],
  ['domain_not_accepted', { localPart: 'bob', domain: 'gmail.com' }, { domain: 'gmail.com', domains: STRICT_DOMAINS }, 'strict'],
  ['address_domain_not_accepted', { address: 'bob@gmail.com' }, { domain: 'gmail.com', domains: STRICT_DOMAINS }, 'strict'],
  ['simulator_domain', { localPart: 'bob', domain: 'simulator.ephemail.test' }, { domain: 'simulator.ephemail.test', names: SIMULATOR_NAMES }],
  ['simulator_unknown_address', { address: 'nobody@simulator.ephemail.test' }, {
    address: 'nobody@simulator.ephemail.test', domain: 'simulator.ephemail.test', names: SIMULATOR_NAMES,
  }],
];
