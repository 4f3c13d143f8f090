import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/http-app.js';
import { coveredRoutes, everyRoute, servedRoutes } from './every-route.js';
import { flush, requestFrom, securityHeaderProblems } from './hostile-client.js';

const CLIENT = '203.0.113.30';

describe('security headers', () => {
  it('has a request for every route the app serves (add one here when adding a route)', async () => {
    const { app, requests } = await everyRoute();
    expect(coveredRoutes(requests)).toEqual(servedRoutes(app));
  });

  it('sends no-referrer and nosniff on every response of every route, and frame-ancestors on every HTML one', async () => {
    const { app, clock, requests } = await everyRoute();
    const seen: Array<[string, Response]> = [];
    const send = async (label: string, path: string, init: RequestInit = {}) => {
      seen.push([label, await requestFrom(app, CLIENT, path, init)]);
    };

    for (const request of requests) await send(`${request.init?.method ?? 'GET'} ${request.path}`, request.path, request.init);
    // The same routes failing: every error goes through a different path out of the app.
    const inbox = '/api/inboxes/every-route%40ephemail.test';
    const failures: Array<[string, RequestInit?]> = [
      ['/api/inboxes/not-an-address/messages'],
      [`${inbox}/messages/00000000000000000000000000`],
      [`${inbox}/messages/00000000000000000000000000/html`],
      ['/api/inboxes', { method: 'POST', body: '{not json' }],
      ['/api/inboxes', { method: 'POST', body: 'x'.repeat(70 * 1024) }],
      ['/api/domains', { headers: { 'content-length': '4096' } }],
      ['/api/no-such-route'],
      ['/no-such-file.js'],
      ['/api/domains', { method: 'OPTIONS', headers: { origin: 'https://tests.example', 'access-control-request-method': 'GET' } }],
      ['/', { method: 'HEAD' }],
    ];
    for (const [path, init] of failures) await send(`${init?.method ?? 'GET'} ${path} (failing)`, path, init);
    // A wait that times out: 408.
    const waiting = requestFrom(app, CLIENT, `${inbox}/wait?subject=nothing-like-it&timeout=1`);
    await flush();
    clock.advance(1_000);
    seen.push(['GET wait (timing out)', await waiting]);

    // Refusals from the limits: 429 from the API and the site budget.
    const strict = buildTestApp({ limits: { rateBurst: 1 } });
    for (const path of ['/api/domains', '/api/domains', '/healthz', '/healthz', '/healthz', '/healthz', '/healthz']) {
      seen.push([`GET ${path} (limited)`, await requestFrom(strict.app, CLIENT, path)]);
    }

    const statuses = new Set(seen.map(([, response]) => response.status));
    for (const status of [200, 201, 204, 400, 404, 408, 413, 429]) expect(statuses, `some response is ${status}`).toContain(status);
    const html = seen.filter(([, response]) => (response.headers.get('content-type') ?? '').startsWith('text/html'));
    expect(html.map(([label]) => label)).toEqual(expect.arrayContaining(['GET /', 'GET /index.html', expect.stringMatching(/\/html$/), expect.stringMatching(/attachments\/1$/)]));
    expect(seen.flatMap(([label, response]) => securityHeaderProblems(label, response))).toEqual([]);
  });

  it('gives responses without a policy of their own one that loads and frames nothing', async () => {
    const { app } = buildTestApp();
    for (const path of ['/api/domains', '/healthz', '/api/no-such-route']) {
      expect((await app.request(path)).headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});
