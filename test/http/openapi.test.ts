import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { renderDocsPage } from '../../src/http/openapi/docs-page.js';
import { openApiDocument } from '../../src/http/openapi/document.js';
import type { ParameterObject, ResponseObject } from '../../src/http/openapi/types.js';
import { buildTestApp } from '../support/http-app.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  conformance, deref, documentedOperations, eachOperation, expectDocumented, resolvePointer, servedOperations, signupMail,
} from './openapi-support.js';

const doc = openApiDocument(buildTestApp().app);

describe('the OpenAPI document', () => {
  it('documents every route the app serves, and nothing it does not', () => {
    expect(servedOperations(buildTestApp().app)).toEqual(documentedOperations(doc));
  });

  it('is a valid OpenAPI 3.1 document by the specification\'s own JSON Schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('resolves every $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => resolvePointer(doc, ref) === undefined)).toEqual([]);
  });

  it('declares exactly the path parameters of each path, as required', () => {
    for (const { method, path, operation } of eachOperation(doc)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (operation.parameters ?? []).map((parameter) => deref<ParameterObject>(doc, parameter));
      const pathParameters = declared.filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name).sort(), `${method} ${path}`).toEqual(inPath);
      expect(pathParameters.every((parameter) => parameter.required === true), `${method} ${path}`).toBe(true);
    }
  });

  it('gives every operation a unique operationId and a success response', () => {
    const operations = eachOperation(doc);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, operation } of operations) {
      expect(Object.keys(operation.responses).some((status) => /^(2\d\d|101)$/.test(status)), `${method} ${path}`).toBe(true);
    }
  });

  it('has examples that conform to their own schemas', () => {
    const media = [
      ...eachOperation(doc).flatMap(({ operation }) => [
        ...Object.values(operation.requestBody?.content ?? {}),
        ...Object.values(operation.responses).flatMap((response) => Object.values(deref<ResponseObject>(doc, response).content ?? {})),
      ]),
      ...Object.values(doc.components.responses).flatMap((response) => Object.values(response.content ?? {})),
    ];
    let checked = 0;
    for (const { schema, examples } of media) {
      for (const [name, example] of Object.entries(examples ?? {})) {
        checked++;
        expect(conformance(doc, example.value, schema ?? {}), name).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('uses only addresses that are plainly examples, none that looks generated', () => {
    // Everyone who copies an example address shares its inbox, so none may look like one of your own.
    const text = decodeURIComponent(JSON.stringify(doc));
    const addresses = new Set([...text.matchAll(/[\w.+-]+@ephemail\.test/g)].map((match) => match[0]));
    expect([...addresses].sort()).toEqual(['example@ephemail.test', 'qa-signup@ephemail.test', 'xxxxxx-xxxxxx-xxxxxx@ephemail.test']);
    expect(text).toContain('The example `example@ephemail.test` is a chosen name, and chosen names are public');
  });

  it('is a fresh copy on every call, naming a server only when asked to', () => {
    const { app } = buildTestApp();
    openApiDocument(app).components.schemas.ApiInbox = {};
    expect(openApiDocument(app).components.schemas.ApiInbox?.required).toContain('address');
    expect(doc.servers).toBeUndefined();
    expect(openApiDocument(app, 'https://mail.example').servers).toEqual([{ url: 'https://mail.example', description: 'This server' }]);
  });
});

describe('the real responses', () => {
  it('conform to the document, schema by schema', async () => {
    const test = buildTestApp();
    const call = async (method: string, path: string, template: string, init: RequestInit = {}) => (
      expectDocumented(doc, method, template, await test.app.request(path, { ...init, method: method.toUpperCase() }))
    );
    const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

    const domains = await call('get', '/api/domains', '/api/domains') as { defaultDomain: string };
    const inbox = await call('post', '/api/inboxes', '/api/inboxes') as { address: string };
    expect(inbox.address.endsWith(`@${domains.defaultDomain}`)).toBe(true);
    await call('post', '/api/inboxes', '/api/inboxes', json({ localPart: 'qa-contract' }));
    await call('post', '/api/inboxes', '/api/inboxes', json({ localPart: 'has space' }));
    await call('post', '/api/inboxes', '/api/inboxes', json({ localPart: 'x'.repeat(20_000) }));
    await call('get', '/api/addresses/check?localPart=qa-contract', '/api/addresses/check');
    await call('get', '/api/addresses/check?localPart=has%20space', '/api/addresses/check');

    const address = encodeURIComponent(inbox.address);
    await test.deliver(await signupMail(inbox.address), [inbox.address]);
    const list = await call('get', `/api/inboxes/${address}/messages`, '/api/inboxes/{address}/messages') as { messages: Array<{ id: string }> };
    await call('get', `/api/inboxes/${address}/messages?since=yesterday`, '/api/inboxes/{address}/messages');
    await call('get', '/api/inboxes/no-at-sign/messages', '/api/inboxes/{address}/messages');
    await call('get', `/api/inboxes/${address}/messages?subjet=x`, '/api/inboxes/{address}/messages');
    await call('get', `/api/inboxes/${address}/wait?subjet=x`, '/api/inboxes/{address}/wait');
    await call('get', '/api/domains?x=1', '/api/domains');
    await call('get', '/api/addresses/check?name=x', '/api/addresses/check');
    await call('post', '/api/inboxes', '/api/inboxes', json({ localPart: 'qa', name: 'x' }));
    const id = list.messages[0]?.id ?? '';
    const message = await call('get', `/api/inboxes/${address}/messages/${id}`, '/api/inboxes/{address}/messages/{id}') as {
      codes: string[]; links: Array<{ action: boolean }>; attachments: unknown[];
    };
    expect(message.codes).toContain('482913');
    expect(message.links.some((link) => link.action)).toBe(true);
    expect(message.attachments).toHaveLength(1);
    await call('get', `/api/inboxes/${address}/wait`, '/api/inboxes/{address}/wait');

    const base = '/api/inboxes/{address}/messages/{id}';
    for (const part of ['html', 'text', 'raw', 'attachments/0', 'attachments/7', 'raw?download=1', 'html?remote=yes']) {
      await call('get', `/api/inboxes/${address}/messages/${id}/${part}`, `${base}/${part.replace(/\d+$/, '{index}').replace(/\?.*/, '')}`);
    }
    await call('get', `/api/inboxes/${address}/messages/${id}?format=eml`, base);
    await call('delete', `/api/inboxes/${address}/messages/${id}`, base);
    await call('get', `/api/inboxes/${address}/messages/${id}`, base);
    await call('delete', `/api/inboxes/${address}/messages/${id}`, base);
    await call('delete', `/api/inboxes/${address}`, '/api/inboxes/{address}');
    await call('get', '/healthz', '/healthz');
    await call('get', '/readyz', '/readyz');
    await call('get', '/metrics', '/metrics');
  });

  it('answers a wait that times out with a documented 408', async () => {
    const test = buildTestApp();
    const timers = test.clock.pending();
    const response = test.app.request('/api/inboxes/late%40ephemail.test/wait?timeout=2s');
    await expect.poll(() => test.clock.pending()).toBeGreaterThan(timers);
    test.clock.advance(2_000);
    const problem = await expectDocumented(doc, 'get', '/api/inboxes/{address}/wait', await response);
    expect(problem).toMatchObject({ status: 408 });
  });

  it('serves the document and its reference page', async () => {
    const { app } = buildTestApp();
    const served = await expectDocumented(doc, 'get', '/api/openapi.json', await app.request('/api/openapi.json'));
    expect(served).toMatchObject({ openapi: '3.1.0', paths: JSON.parse(JSON.stringify(doc.paths)) as unknown });
    const page = await app.request('/api/docs');
    expect(await expectDocumented(doc, 'get', '/api/docs', page)).toBe(renderDocsPage(doc));
  });
});

describe('the live events socket', () => {
  const template = '/api/inboxes/{address}/events';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** A socket on the events path of `address`, already erroring quietly so a refusal is not an unhandled error. */
  const connect = (address: string) => new WebSocket(`ws://127.0.0.1:${server.httpPort}/api/inboxes/${address}/events`).on('error', () => undefined);

  it('upgrades with 101 and sends frames that conform to ApiEvent', async () => {
    const address = 'live-contract@ephemail.test';
    const socket = connect(encodeURIComponent(address));
    const frames: unknown[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    try {
      expect(await new Promise((resolve) => socket.once('upgrade', (response) => resolve(response.statusCode)))).toBe(101);
      await expect.poll(() => frames).toHaveLength(1);
      const transport = mailer(server.smtpPort);
      await transport.sendMail({ from: 'a@example.com', to: address, subject: 'Live', text: 'code 482913' });
      transport.close();
      // The first message's digest may wait for a parse worker to start (expect.poll allows 10 s here).
      await expect.poll(() => frames).toHaveLength(2);
      const id = (frames[1] as { message: { id: string } }).message.id;
      await fetch(`${server.httpUrl}/api/inboxes/${encodeURIComponent(address)}/messages/${id}`, { method: 'DELETE' });
      await expect.poll(() => frames).toHaveLength(3);
      expect(frames.map((frame) => (frame as { type: string }).type)).toEqual(['hello', 'message', 'deleted']);
      for (const frame of frames) expect(conformance(doc, frame, { $ref: '#/components/schemas/ApiEvent' })).toEqual([]);
    } finally {
      socket.terminate();
    }
  });

  it('refuses a bad address with a documented status and media type', async () => {
    const socket = connect('no-at-sign');
    const refused = await new Promise<Response>((resolve) => {
      socket.once('unexpected-response', (_request, response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode, headers: { 'content-type': String(response.headers['content-type']) } })));
      });
    });
    socket.terminate();
    expect(refused.status).toBe(400);
    expect(await expectDocumented(doc, 'get', template, refused)).toMatch(/no @/i);
  });
});

describe('the reference page', () => {
  const page = renderDocsPage(doc);

  it('lists every operation with its parameters, responses and examples', () => {
    for (const { path, operation } of eachOperation(doc)) {
      expect(page).toContain(`id="op-${operation.operationId}"`);
      expect(page).toContain(`<code>${path}</code>`);
    }
    for (const name of ['address', 'since', 'timeout', 'limit', 'localPart']) expect(page).toContain(`<code>${name}</code>`);
    for (const status of ['101', '201', '204', '408', '413']) expect(page).toContain(`>${status}</dt>`);
    expect(page).toContain('482913');
    expect(page).toContain('id="schema-ApiMessage"');
  });

  it('needs no script and loads nothing from elsewhere', () => {
    expect(page).not.toMatch(/<script|\son\w+=|<link|<img|<iframe|url\(/i);
    expect(page.match(/(?:href|src)="[^"]*"/g)?.filter((attribute) => !/^href="(#|openapi\.json")/.test(attribute))).toEqual([]);
  });

  it('escapes text from the document', () => {
    const hostile = { ...doc, info: { ...doc.info, title: '<script>alert(1)</script>' } };
    expect(renderDocsPage(hostile)).not.toContain('<script>alert');
  });
});
