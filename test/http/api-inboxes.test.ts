import { describe, expect, it } from 'vitest';
import { buildTestApp, rawMessage } from '../support/http-app.js';

type Json = Record<string, unknown>;

async function expectProblem(response: Response, status: number, detail?: string | RegExp): Promise<Json> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Json;
  expect(body).toMatchObject({ type: 'about:blank', status, title: expect.any(String), detail: expect.any(String) });
  if (detail !== undefined) expect(body.detail).toMatch(detail);
  return body;
}

function post(app: ReturnType<typeof buildTestApp>['app'], body?: string) {
  return app.request('/api/inboxes', { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
}

/** An app that accepts only its own domains (no catch-all). */
function strictApp() {
  return buildTestApp({ domains: { domains: ['mail.test', 'other.test'], defaultDomain: 'mail.test', catchAll: false, simulatorDomain: null } }).app;
}

const GENERATED = /^[a-hjkmnp-z2-9]{6}-[a-hjkmnp-z2-9]{6}-[a-hjkmnp-z2-9]{6}@ephemail\.test$/;

describe('GET /api/domains', () => {
  it('reports the accepted domains, the default domain and the catch-all flag', async () => {
    const response = await buildTestApp().app.request('/api/domains');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ domains: ['ephemail.test'], defaultDomain: 'ephemail.test', catchAll: true, ttlSeconds: 3600 });
    expect(await (await strictApp().request('/api/domains')).json()).toEqual({ domains: ['mail.test', 'other.test'], defaultDomain: 'mail.test', catchAll: false, ttlSeconds: 3600 });
  });
});

describe('POST /api/inboxes', () => {
  it('makes a new unguessable address on the default domain when there is no body', async () => {
    const { app } = buildTestApp();
    const addresses = new Set<string>();
    for (const body of [undefined, '', '{}', '  ']) {
      const response = await post(app, body);
      expect(response.status).toBe(201);
      const inbox = (await response.json()) as Json;
      expect(inbox).toEqual({ address: expect.stringMatching(GENERATED), random: true, public: false, ttlSeconds: 3_600 });
      addresses.add(inbox.address as string);
    }
    // 18 symbols from 31 is about 89 bits; four draws must all differ.
    expect(addresses.size).toBe(4);
  });

  it('puts a generated address on a requested accepted domain', async () => {
    const response = await strictApp().request('/api/inboxes', { method: 'POST', body: '{"domain":"Other.TEST"}' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Json).address).toMatch(/^[a-z2-9-]{20}@other\.test$/);
  });

  it('takes a chosen name, folded to lower case, as a public inbox', async () => {
    const { app } = buildTestApp();
    const response = await post(app, JSON.stringify({ localPart: 'Alice.Smith', domain: 'EPHEMAIL.test' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ address: 'alice.smith@ephemail.test', random: false, public: true, ttlSeconds: 3_600 });
  });

  it.each([
    ['john doe', 'The name has a space in it; addresses cannot contain spaces.'],
    ['', 'The name (the part before the @) is empty.'],
    ['.alice', 'The name cannot start with a dot.'],
    ['a..b', "The name cannot have two dots in a row ('..')."],
    ['a@b', /Only Latin letters, digits, dot, hyphen, underscore and plus are allowed/],
    ['x'.repeat(65), 'The name is 65 bytes long; the limit is 64 bytes.'],
  ])('refuses the name %j with the same reason SMTP gives', async (localPart, reason) => {
    const response = await post(buildTestApp().app, JSON.stringify({ localPart }));
    await expectProblem(response, 400, reason);
  });

  it('refuses bodies that are not a JSON object with string fields', async () => {
    const { app } = buildTestApp();
    await expectProblem(await post(app, '{"localPart": "bob"'), 400, /not valid JSON/);
    await expectProblem(await post(app, '["bob"]'), 400, /must be a JSON object/);
    await expectProblem(await post(app, 'null'), 400, /must be a JSON object/);
    await expectProblem(await post(app, '{"localPart": 42}'), 400, 'localPart must be a string.');
    await expectProblem(await post(app, '{"domain": ["x"]}'), 400, 'domain must be a string.');
  });

  it('refuses a body over the limit with 413', async () => {
    const { app } = buildTestApp();
    const big = JSON.stringify({ localPart: 'bob', padding: 'x'.repeat(20_000) });
    await expectProblem(await post(app, big), 413, /larger than 16 KB/);
    const declared = await app.request('/api/inboxes', { method: 'POST', body: big, headers: { 'content-length': String(big.length) } });
    await expectProblem(declared, 413);
  });

  it('refuses a domain that is not accepted', async () => {
    const strict = strictApp();
    const refused = await strict.request('/api/inboxes', { method: 'POST', body: '{"localPart":"bob","domain":"gmail.com"}' });
    await expectProblem(refused, 400, /does not take mail for "gmail\.com"; choose one of mail\.test, other\.test/);
    await expectProblem(await post(buildTestApp().app, '{"domain":"not a domain"}'), 400, /does not take mail/);
  });
});

describe('GET /api/addresses/check', () => {
  it('answers valid names with the normalised address', async () => {
    const response = await buildTestApp().app.request('/api/addresses/check?localPart=Bob.Jones');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: true, reason: null, reasonCode: null, reasonValues: null, address: 'bob.jones@ephemail.test', public: true });
  });

  it('answers invalid names and domains with the human reason', async () => {
    const { app } = buildTestApp();
    const spaced = await app.request(`/api/addresses/check?localPart=${encodeURIComponent('john doe')}`);
    expect(await spaced.json()).toEqual({
      valid: false, reason: 'The name has a space in it; addresses cannot contain spaces.', reasonCode: 'name_space', reasonValues: {}, address: null, public: true,
    });
    const missing = (await (await app.request('/api/addresses/check')).json()) as Json;
    expect(missing).toMatchObject({ valid: false, reason: 'The name (the part before the @) is empty.' });
    const domain = (await (await strictApp().request('/api/addresses/check?localPart=bob&domain=gmail.com')).json()) as Json;
    expect(domain).toMatchObject({ valid: false, reason: expect.stringMatching(/does not take mail for "gmail\.com"/), address: null });
    const other = (await (await strictApp().request('/api/addresses/check?localPart=bob&domain=other.test')).json()) as Json;
    expect(other).toMatchObject({ valid: true, address: 'bob@other.test' });
  });
});

describe('GET /api/inboxes/{address}/messages', () => {
  async function threeMessages() {
    const test = buildTestApp();
    await test.deliver(rawMessage({ subject: 'Your CODE is 123456', from: 'Alpha Shop <alpha@shop.example>' }), ['user@ephemail.test']);
    test.clock.advance(1_000);
    await test.deliver(rawMessage({ subject: 'Weekly news', from: 'News <news@paper.example>', to: 'Dear User <user@ephemail.test>' }), ['user+news@ephemail.test']);
    test.clock.advance(1_000);
    await test.deliver(rawMessage({ subject: 'Reset your password', from: 'Beta <beta@shop.example>' }), ['USER@ephemail.test']);
    return test;
  }
  const list = async (test: ReturnType<typeof buildTestApp>, query = '', address = 'user@ephemail.test') => {
    const response = await test.app.request(`/api/inboxes/${encodeURIComponent(address)}/messages${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { address: string; messages: Json[] };
  };

  it('lists summaries only, newest first', async () => {
    const test = await threeMessages();
    const body = await list(test);
    expect(body.address).toBe('user@ephemail.test');
    expect(body.messages.map((m) => m.subject)).toEqual(['Reset your password', 'Weekly news', 'Your CODE is 123456']);
    const oldest = body.messages[2];
    expect(Object.keys(oldest ?? {}).sort()).toEqual([
      'attachmentCount', 'codes', 'expiresAt', 'from', 'id', 'inbox', 'parseFailed', 'preview', 'receivedAt', 'size', 'subject', 'tag', 'to', 'toOmitted',
    ]);
    expect(oldest).toMatchObject({
      from: { name: 'Alpha Shop', address: 'alpha@shop.example' }, tag: null, codes: ['123456'], preview: 'Hello there', attachmentCount: 0,
      receivedAt: new Date(test.clock.now() - 2_000).toISOString(), expiresAt: new Date(test.clock.now() - 2_000 + 3_600_000).toISOString(),
    });
    expect(body.messages[1]).toMatchObject({ tag: 'news' });
  });

  it('reads the inbox case-insensitively, with +tags folded and the address URL-encoded', async () => {
    const test = await threeMessages();
    for (const address of ['USER@EPHEMAIL.TEST', 'user+other@ephemail.test', 'User+News@Ephemail.Test']) {
      expect((await list(test, '', address)).messages).toHaveLength(3);
    }
    const raw = await test.app.request('/api/inboxes/user+news@ephemail.test/messages');
    expect(((await raw.json()) as { messages: Json[] }).messages).toHaveLength(3);
    expect((await list(test, '', 'someone-else@ephemail.test')).messages).toEqual([]);
  });

  it('filters by subject, from and to (case-insensitive substrings), since and limit', async () => {
    const test = await threeMessages();
    const subjects = async (query: string) => (await list(test, query)).messages.map((m) => m.subject);
    expect(await subjects('?subject=CODE')).toEqual(['Your CODE is 123456']);
    expect(await subjects('?subject=your')).toEqual(['Reset your password', 'Your CODE is 123456']);
    expect(await subjects('?from=SHOP.EXAMPLE')).toEqual(['Reset your password', 'Your CODE is 123456']);
    expect(await subjects('?from=news')).toEqual(['Weekly news']);
    expect(await subjects('?to=dear%20user')).toEqual(['Weekly news']);
    expect(await subjects('?subject=your&from=beta')).toEqual(['Reset your password']);
    expect(await subjects('?limit=2')).toEqual(['Reset your password', 'Weekly news']);
    const all = (await list(test)).messages;
    expect(await subjects(`?since=${String(all[2]?.id)}`)).toEqual(['Reset your password', 'Weekly news']);
    expect(await subjects(`?since=${String(all[0]?.id)}`)).toEqual([]);
    expect(await subjects(`?since=${encodeURIComponent(String(all[1]?.receivedAt))}`)).toEqual(['Reset your password']);
  });

  it('keeps message order for since=<id> within one millisecond', async () => {
    const test = buildTestApp();
    for (const subject of ['one', 'two', 'three']) await test.deliver(rawMessage({ subject }), ['same@ephemail.test']);
    const all = (await list(test, '', 'same@ephemail.test')).messages;
    expect(all.map((m) => m.subject)).toEqual(['three', 'two', 'one']);
    expect((await list(test, `?since=${String(all[2]?.id)}`, 'same@ephemail.test')).messages.map((m) => m.subject)).toEqual(['three', 'two']);
  });

  it('reads the digests of unread mail only as far as since, limit and the filters need', async () => {
    const test = buildTestApp();
    const heads = [];
    for (let i = 0; i < 40; i++) heads.push(...await test.deliver(rawMessage({ subject: i === 2 ? 'the one' : `mail ${i}` }), ['big@ephemail.test']));
    expect((await list(test, '?limit=1', 'big@ephemail.test')).messages.map((m) => m.subject)).toEqual(['mail 39']);
    expect((await list(test, `?since=${String(heads[36]?.id)}`, 'big@ephemail.test')).messages).toHaveLength(3);
    // Newest first, a few at a time: 12 of the 40, not all.
    expect(test.parses.count).toBeLessThanOrEqual(12);
    expect((await list(test, '?subject=the%20one', 'big@ephemail.test')).messages.map((m) => m.subject)).toEqual(['the one']);
    expect(test.parses.count).toBe(40);
  });

  it('pages back with before=<id of the last message of a page>, and by time', async () => {
    const test = buildTestApp();
    for (let i = 0; i < 5; i++) {
      await test.deliver(rawMessage({ subject: `mail ${i}` }), ['pages@ephemail.test']);
      test.clock.advance(1_000);
    }
    const page = async (query: string) => (await list(test, query, 'pages@ephemail.test')).messages;
    const first = await page('?limit=2');
    const second = await page(`?limit=2&before=${String(first[1]?.id)}`);
    const last = await page(`?limit=2&before=${String(second[1]?.id)}`);
    expect([first, second, last].map((messages) => messages.map((m) => m.subject))).toEqual([['mail 4', 'mail 3'], ['mail 2', 'mail 1'], ['mail 0']]);
    expect(await page(`?before=${encodeURIComponent(String(second[0]?.receivedAt))}`)).toEqual([second[1], last[0]]);
    expect(await page(`?since=${String(last[0]?.id)}&before=${String(first[0]?.id)}`)).toEqual([first[1], ...second]);
    // The cursor expired or was deleted: its time says where the page starts.
    await test.store.delete('pages@ephemail.test', String(second[1]?.id));
    expect(await page(`?before=${String(second[1]?.id)}`)).toEqual(last);
  });

  it('stops reading digests for a client that has gone', async () => {
    const client = new AbortController();
    const test = buildTestApp({ onDigest: () => client.abort() });
    for (let i = 0; i < 40; i++) await test.deliver(rawMessage({ subject: `mail ${i}` }), ['left@ephemail.test']);
    // Nothing matches, so a client that stayed would have all 40 digests read for it.
    await test.app.request('/api/inboxes/left@ephemail.test/messages?subject=nothing', { signal: client.signal });
    expect(test.parses.count).toBeGreaterThan(0);
    expect(test.parses.count).toBeLessThanOrEqual(4);
  });

  it('refuses bad limits, since values and addresses with a problem', async () => {
    const { app } = buildTestApp();
    for (const limit of ['0', '201', 'ten', '-1', '1.5']) {
      await expectProblem(await app.request(`/api/inboxes/a@ephemail.test/messages?limit=${limit}`), 400, /limit must be a whole number from 1 to 200/);
    }
    expect((await app.request('/api/inboxes/a@ephemail.test/messages?limit=200')).status).toBe(200);
    await expectProblem(await app.request('/api/inboxes/a@ephemail.test/messages?since=yesterday-ish'), 400, /since must be a message id or an ISO time/);
    await expectProblem(await app.request('/api/inboxes/a@ephemail.test/messages?before=tomorrow-ish'), 400, /before must be a message id or an ISO time/);
    await expectProblem(await app.request('/api/inboxes/no-at-sign/messages'), 400, /There is no @ in the address/);
    await expectProblem(await app.request(`/api/inboxes/${encodeURIComponent('a b@ephemail.test')}/messages`), 400, /space/);
    await expectProblem(await strictApp().request('/api/inboxes/bob@gmail.com/messages'), 400, /does not take mail for gmail\.com/);
  });
});

describe('DELETE /api/inboxes/{address}', () => {
  it('empties one inbox and leaves the others alone', async () => {
    const test = buildTestApp();
    await test.deliver(rawMessage({ subject: 'a' }), ['gone@ephemail.test', 'kept@ephemail.test']);
    await test.deliver(rawMessage({ subject: 'b' }), ['gone+x@ephemail.test']);
    const response = await test.app.request('/api/inboxes/GONE%40ephemail.test', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 2 });
    expect(await test.summaries.list('gone@ephemail.test')).toEqual([]);
    expect(await test.summaries.list('kept@ephemail.test')).toHaveLength(1);
    expect(await (await test.app.request('/api/inboxes/gone@ephemail.test', { method: 'DELETE' })).json()).toEqual({ deleted: 0 });
  });
});
