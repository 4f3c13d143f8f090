import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi/document.js';
import { ADDRESS_REASON_CODES, type AddressReasonCode } from '../../src/mail/address/reasons.js';
import { EXAMPLES, STRICT_DOMAINS, type Example, type Input, type Values } from '../support/address-reason-examples.js';
import { buildTestApp } from '../support/http-app.js';
import { expectDocumented } from './openapi-support.js';

/**
 * Every reason an address, chosen name or domain is refused, reached through
 * the API from a real input: the problem (for an {address} path) or the name
 * check (for a chosen name and domain) carries the stable `reasonCode` and
 * the `reasonValues` its English sentence names.
 */


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
