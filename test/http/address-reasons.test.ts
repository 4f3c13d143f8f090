import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi/document.js';
import { ADDRESS_REASON_CODES, type AddressReasonCode } from '../../src/mail/address/reasons.js';
import { buildTestApp } from '../support/http-app.js';
import { expectDocumented } from './openapi-support.js';

/**
 * Every reason an address, chosen name or domain is refused, reached through
 * the API from a real input: the problem (for an {address} path) or the name
 * check (for a chosen name and domain) carries the stable `reasonCode` and
 * the `reasonValues` its English sentence names.
 */

type Values = Record<string, string | number | string[]>;
/** An {address} path parameter (SMTPUTF8 rules), or a chosen name checked as the page's name dialog does (Latin only). */
type Input = { address: string } | { localPart: string; domain?: string };
type Example = [code: AddressReasonCode, input: Input, values: Values, strict?: 'strict'];

const label63 = 'a'.repeat(63);
const SIMULATOR_NAMES = ['bounce', 'mailbox-full', 'tempfail', 'greylist', 'slow', 'reject-data'];
const STRICT_DOMAINS = ['mail.test', 'other.test'];

const EXAMPLES: Example[] = [
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

const app = buildTestApp().app;
const strictApp = buildTestApp({ domains: { domains: STRICT_DOMAINS, defaultDomain: 'mail.test', catchAll: false, simulatorDomain: null } }).app;
const doc = openApiDocument(app);

interface Refusal {
  reasonCode: string;
  reasonValues: Values;
  sentence: string;
}

/** Asks the API about `input` as a page would, checks the answer against the OpenAPI document, and returns what it carried. */
async function refusalOf(input: Input, strict: boolean): Promise<Refusal> {
  const target = strict ? strictApp : app;
  if ('address' in input) {
    const response = await target.request(`/api/inboxes/${encodeURIComponent(input.address)}/messages`);
    const problem = await expectDocumented(doc, 'get', '/api/inboxes/{address}/messages', response) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(problem.code).toBe(String(problem.reasonCode).endsWith('domain_not_accepted') ? 'domain_not_accepted' : 'invalid_address');
    return { reasonCode: problem.reasonCode as string, reasonValues: problem.reasonValues as Values, sentence: problem.detail as string };
  }
  const query = new URLSearchParams({ localPart: input.localPart, ...(input.domain === undefined ? {} : { domain: input.domain }) });
  const response = await target.request(`/api/addresses/check?${query}`);
  const check = await expectDocumented(doc, 'get', '/api/addresses/check', response) as Record<string, unknown>;
  expect(check).toMatchObject({ valid: false, address: null });
  // The same rule gives creating the inbox the same answer, as a problem.
  const created = await target.request('/api/inboxes', { method: 'POST', body: JSON.stringify(input) });
  const problem = await expectDocumented(doc, 'post', '/api/inboxes', created) as Record<string, unknown>;
  expect(problem).toMatchObject({ status: 400, detail: check.reason, reasonCode: check.reasonCode, reasonValues: check.reasonValues });
  return { reasonCode: check.reasonCode as string, reasonValues: check.reasonValues as Values, sentence: check.reason as string };
}

/** README's table of reasons, as the examples answer: code, the values named, and the English sentence. */
function reasonsTable(refusals: ReadonlyMap<AddressReasonCode, Refusal>): string {
  const rows = ADDRESS_REASON_CODES.map((code) => {
    const refusal = refusals.get(code);
    const names = Object.keys(refusal?.reasonValues ?? {}).map((name) => `\`${name}\``).join(', ');
    return `| \`${code}\` | ${names} | ${refusal?.sentence ?? ''} |`;
  });
  return ['| code | values | sentence (for an example) |', '|---|---|---|', ...rows].join('\n');
}

const answers = new Map<AddressReasonCode, Promise<Refusal>>();

/** The API's answer to the example of `code`, asked once however many tests look at it. */
function answerFor([code, input, , strict]: Example): Promise<Refusal> {
  const known = answers.get(code) ?? refusalOf(input, strict === 'strict');
  answers.set(code, known);
  return known;
}

async function allAnswers(): Promise<Map<AddressReasonCode, Refusal>> {
  return new Map(await Promise.all(EXAMPLES.map(async (example) => [example[0], await answerFor(example)] as const)));
}

describe('address refusal reasons', () => {
  it('has one example per code, and no code without one', () => {
    const codes = EXAMPLES.map(([code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...ADDRESS_REASON_CODES].sort());
  });

  it.each(EXAMPLES)('reaches %s from a real input, with the values its sentence names', async (...example) => {
    const [code, , values] = example;
    const refusal = await answerFor(example);
    expect(refusal).toMatchObject({ reasonCode: code, reasonValues: values });
    expect(Object.keys(refusal.reasonValues).sort()).toEqual(Object.keys(values).sort());
    // What the sentence names is among the values; the script only the character implies.
    for (const [name, value] of Object.entries(values)) {
      if (name !== 'script') for (const part of [value].flat()) expect(refusal.sentence).toContain(String(part));
    }
  });

  it('gives each code a sentence of its own, but for the character rules that name only the character', async () => {
    const codesByKind = new Map<string, AddressReasonCode[]>();
    for (const [code, refusal] of await allAnswers()) {
      let kind = refusal.sentence;
      for (const value of Object.values(refusal.reasonValues).flat()) kind = kind.replaceAll(String(value), '{}');
      codesByKind.set(kind, [...(codesByKind.get(kind) ?? []), code]);
    }
    const shared = [...codesByKind.values()].filter((codes) => codes.length > 1);
    expect(shared).toEqual([['name_non_latin', 'name_extended_latin', 'name_forbidden_character']]);
  });

  const readme = new URL('../../README.md', import.meta.url);
  it.skipIf(!existsSync(readme))('are listed in README.md exactly as the API answers the examples', async () => {
    const text = readFileSync(readme, 'utf8');
    expect(text).toContain(`<!-- reasons:start -->\n${reasonsTable(await allAnswers())}\n<!-- reasons:end -->`);
  });
});

describe('a valid name', () => {
  it('is checked with no reason, its code or its values', async () => {
    const response = await app.request('/api/addresses/check?localPart=Bob.Jones');
    expect(await expectDocumented(doc, 'get', '/api/addresses/check', response)).toEqual({
      valid: true, reason: null, reasonCode: null, reasonValues: null, address: 'bob.jones@ephemail.test', public: true,
    });
  });
});
