import { describe, expect, it } from 'vitest';
import { everyRoute } from '../http-hostile/every-route.js';
import { buildTestApp, rawMessage } from '../support/http-app.js';

type Json = Record<string, unknown>;

/** The problem document of a 400, after checking its status, media type and shape. */
async function badRequest(response: Response | Promise<Response>): Promise<Json> {
  const settled = await response;
  expect(settled.status).toBe(400);
  expect(settled.headers.get('content-type')).toBe('application/problem+json');
  const body = (await settled.json()) as Json;
  expect(body).toMatchObject({ type: 'about:blank', status: 400, title: expect.any(String), code: expect.any(String), detail: expect.any(String) });
  return body;
}

const INBOX = `/api/inboxes/${encodeURIComponent('x@ephemail.test')}`;

describe('query parameters a route does not take', () => {
  it('are refused on the wait route, naming the parameter and the ones that exist, before any waiting', async () => {
    const test = buildTestApp();
    // Were the misspelt filter ignored, this message would be the answer.
    await test.deliver(rawMessage({ subject: 'unrelated' }), ['x@ephemail.test']);
    expect(await badRequest(test.app.request(`${INBOX}/wait?subjet=x`))).toEqual({
      type: 'about:blank', title: 'Unknown parameter', status: 400, code: 'unknown_parameter',
      detail: 'Unknown query parameter "subjet"; this route takes subject, from, to, since, timeout.',
    });
    expect(test.hub.listenerCount()).toBe(0);
    expect(test.limits.waiters.held()).toBe(0);
  });

  it('are refused on the list route, all of them named', async () => {
    const { app } = buildTestApp();
    expect((await badRequest(app.request(`${INBOX}/messages?subjet=x`))).detail)
      .toBe('Unknown query parameter "subjet"; this route takes subject, from, to, since, before, limit.');
    expect((await badRequest(app.request(`${INBOX}/messages?limit=5&page=2&sort=asc`))).detail)
      .toBe('Unknown query parameters "page", "sort"; this route takes subject, from, to, since, before, limit.');
  });

  it('are refused on the message routes, which take none but remote', async () => {
    const test = buildTestApp();
    const [summary] = await test.deliver(rawMessage({ html: '<p>hi</p>' }), ['x@ephemail.test']);
    const message = `${INBOX}/messages/${String(summary?.id)}`;
    for (const suffix of ['', '/text', '/raw', '/attachments/0']) {
      expect((await badRequest(test.app.request(`${message}${suffix}?format=json`))).detail, suffix)
        .toBe('Unknown query parameter "format"; this route takes no query parameters.');
    }
    expect((await badRequest(test.app.request(`${message}/html?remote=1&images=1`))).detail)
      .toBe('Unknown query parameter "images"; this route takes remote.');
    expect((await badRequest(test.app.request(`${message}?force=1`, { method: 'DELETE' }))).code).toBe('unknown_parameter');
    expect((await test.app.request(message)).status).toBe(200);
  });

  it('are refused on every API route, and never reach its handler', async () => {
    const { app, requests, store } = await everyRoute();
    const api = requests.filter((request) => request.path.startsWith('/api/') && !/^\/api\/(openapi\.json|docs)$/.test(request.path));
    expect(api.length).toBeGreaterThan(10);
    for (const { route, path, init } of api) {
      const response = await app.request(`${path}${path.includes('?') ? '&' : '?'}bogus=1`, init);
      expect((await badRequest(response)).code, route).toBe('unknown_parameter');
    }
    expect(await store.list('every-route@ephemail.test')).toHaveLength(2);
  });

  it('leave the reference and operations routes alone, which take no input to misspell', async () => {
    const { app } = buildTestApp();
    for (const path of ['/api/openapi.json?v=2', '/api/docs?v=2', '/healthz?probe=1', '/metrics?x=1']) {
      expect((await app.request(path)).status, path).toBe(200);
    }
  });
});

describe('malformed query values', () => {
  it.each([
    ['messages?limit=0', 'Invalid limit', 'limit must be a whole number from 1 to 200; "0" is not.'],
    ['messages?limit=ten', 'Invalid limit', 'limit must be a whole number from 1 to 200; "ten" is not.'],
    ['messages?since=yesterday', 'Invalid since', 'since must be a message id or an ISO time such as 2026-01-31T12:00:00Z; "yesterday" is neither.'],
    ['wait?since=soon', 'Invalid since', 'since must be a message id or an ISO time such as 2026-01-31T12:00:00Z; "soon" is neither.'],
    ['wait?timeout=soon', 'Invalid timeout', 'timeout must be seconds (such as 30) or a duration (500ms, 10s, 2m); "soon" is neither.'],
    ['wait?timeout=0ms', 'Invalid timeout', 'timeout must be seconds (such as 30) or a duration (500ms, 10s, 2m); "0ms" is neither.'],
    ['messages?subject=a&subject=b', 'Invalid subject', 'subject is given more than once; give it once.'],
  ])('%s is a 400 that names the parameter', async (query, title, detail) => {
    const test = buildTestApp();
    expect(await badRequest(test.app.request(`${INBOX}/${query}`))).toEqual({ type: 'about:blank', title, status: 400, code: 'invalid_parameter', detail });
    expect(test.limits.waiters.held()).toBe(0);
  });

  it('refuses a remote value other than 1', async () => {
    const test = buildTestApp();
    const [summary] = await test.deliver(rawMessage({ html: '<p>hi</p>' }), ['x@ephemail.test']);
    expect(await badRequest(test.app.request(`${INBOX}/messages/${String(summary?.id)}/html?remote=yes`))).toMatchObject({
      title: 'Invalid remote', code: 'invalid_parameter', detail: 'remote must be 1, to load remote images and styles, or left out.',
    });
  });

  it('still takes empty filters as no filter, and a limit at its bounds', async () => {
    const test = buildTestApp();
    await test.deliver(rawMessage({ subject: 'one' }), ['x@ephemail.test']);
    const response = await test.app.request(`${INBOX}/messages?subject=&from=&to=&since=&limit=200`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { messages: unknown[] }).messages).toHaveLength(1);
  });
});

describe('the body of POST /api/inboxes', () => {
  const post = (app: ReturnType<typeof buildTestApp>['app'], body: string, contentType?: string) => app.request('/api/inboxes', {
    method: 'POST', body, ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
  });

  it('refuses a field it does not take, naming the ones it does', async () => {
    const { app } = buildTestApp();
    expect(await badRequest(post(app, '{"localPart":"bob","nmae":"x"}', 'application/json'))).toEqual({
      type: 'about:blank', title: 'Unknown field', status: 400, code: 'unknown_field',
      detail: 'The body has no field "nmae"; it takes localPart and domain, both optional.',
    });
  });

  it('gives codes to the refusals it had before', async () => {
    const { app } = buildTestApp();
    expect(await badRequest(post(app, '{"localPart": 42}'))).toMatchObject({ title: 'Invalid body', code: 'invalid_body', detail: 'localPart must be a string.' });
    expect(await badRequest(post(app, '[1]'))).toMatchObject({ code: 'invalid_body', detail: 'The request body must be a JSON object such as {"localPart": "name"}.' });
    expect(await badRequest(post(app, '{'))).toMatchObject({ title: 'Invalid JSON', code: 'invalid_body' });
    expect(await badRequest(post(app, '{"localPart":"a b"}'))).toMatchObject({ title: 'Invalid name', code: 'invalid_name' });
    expect(await badRequest(post(app, '{"domain":"not a domain"}'))).toMatchObject({ code: 'domain_not_accepted' });
  });

  it('is read whatever its content type, as before', async () => {
    const { app } = buildTestApp();
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8']) {
      const response = await post(app, '{"localPart":"Typed"}', type);
      expect(response.status, type).toBe(201);
      expect(await response.json()).toMatchObject({ address: 'typed@ephemail.test' });
    }
  });
});

describe('codes on the other problems', () => {
  it('names the kind of every refusal', async () => {
    const { app } = buildTestApp();
    const codeOf = async (path: string) => ((await (await app.request(path)).json()) as Json).code;
    expect(await codeOf('/api/inboxes/no-at-sign/messages')).toBe('invalid_address');
    expect(await codeOf(`${INBOX}/messages/01kxxxxxxxxxxxxxxxxxxxxxxx`)).toBe('message_not_found');
    expect(await codeOf('/api/nothing-here')).toBe('not_found');
  });
});
