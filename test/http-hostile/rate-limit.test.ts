import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/http-app.js';
import { problemOf, requestFrom } from './hostile-client.js';

const A = '203.0.113.10';
const B = '203.0.113.11';
const PROXY = '10.0.0.2';

// One token every 10 s and a bucket of three: small numbers keep the arithmetic visible.
const SLOW = { rateLimitPerMinute: 6, rateBurst: 3 };

function slowApp(limits: Record<string, number> = {}) {
  return buildTestApp({ limits: { ...SLOW, ...limits } });
}

async function spend(app: ReturnType<typeof slowApp>['app'], address: string, count: number, path = '/api/domains', init: RequestInit = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await requestFrom(app, address, path, init)).status);
  return statuses;
}

describe('the per-client API budget', () => {
  it('allows the burst, then answers 429 with Retry-After in seconds and a sentence', async () => {
    const { app } = slowApp();
    expect(await spend(app, A, 3)).toEqual([200, 200, 200]);
    const refused = await requestFrom(app, A, '/api/domains');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await problemOf(refused)).toEqual({
      type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'rate_limited',
      detail: 'Too many requests from your address; try again in 10 seconds.',
    });
  });

  it('refills with the clock, and Retry-After counts down', async () => {
    const { app, clock } = slowApp();
    await spend(app, A, 3);
    clock.advance(9_000);
    const early = await requestFrom(app, A, '/api/domains');
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('1');
    expect((await problemOf(early)).detail).toBe('Too many requests from your address; try again in 1 second.');
    clock.advance(1_000);
    expect(await spend(app, A, 2)).toEqual([200, 429]);
    // A long pause refills to the burst, never beyond it.
    clock.advance(3_600_000);
    expect(await spend(app, A, 4)).toEqual([200, 200, 200, 429]);
  });

  it('neither drains a bucket nor stretches Retry-After when the wall clock steps back', async () => {
    const { app, clock } = slowApp();
    expect(await spend(app, A, 2)).toEqual([200, 200]);
    clock.advance(-3_600_000);
    // The token left is still there, and an empty bucket waits one token's time, not the hour stepped back.
    expect(await spend(app, A, 1)).toEqual([200]);
    const refused = await requestFrom(app, A, '/api/domains');
    expect(refused.headers.get('retry-after')).toBe('10');
    clock.advance(10_000);
    expect(await spend(app, A, 2)).toEqual([200, 429]);
  });

  it('charges nothing for refused requests, so waiting Retry-After always works', async () => {
    const { app, clock } = slowApp();
    await spend(app, A, 3);
    const hammering = await spend(app, A, 50);
    expect(new Set(hammering)).toEqual(new Set([429]));
    const retryAfter = Number((await requestFrom(app, A, '/api/domains')).headers.get('retry-after'));
    clock.advance(retryAfter * 1_000);
    expect((await requestFrom(app, A, '/api/domains')).status).toBe(200);
  });

  it('keeps clients apart', async () => {
    const { app } = slowApp();
    expect(await spend(app, A, 4)).toEqual([200, 200, 200, 429]);
    expect(await spend(app, B, 3)).toEqual([200, 200, 200]);
  });

  it('counts every API request, whatever the route or the outcome', async () => {
    const { app } = slowApp();
    expect((await requestFrom(app, A, '/api/inboxes', { method: 'POST' })).status).toBe(201);
    expect((await requestFrom(app, A, '/api/inboxes/not-an-address/messages')).status).toBe(400);
    expect((await requestFrom(app, A, '/api/no-such-route')).status).toBe(404);
    expect((await requestFrom(app, A, '/api/inboxes/x@ephemail.test', { method: 'DELETE' })).status).toBe(429);
  });

  it('ignores X-Forwarded-For unless --trust-proxy is on', async () => {
    const { app } = slowApp();
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await requestFrom(app, A, '/api/domains', { headers: { 'x-forwarded-for': `198.51.100.${i}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('with --trust-proxy, counts the client the proxy appended, not what the client claimed', async () => {
    const { app } = slowApp({ trustedProxies: 1 });
    const via = (header: string) => ({ headers: { 'x-forwarded-for': header } });
    // Everyone arrives from the proxy's socket; the proxy's entry tells them apart.
    expect(await spend(app, PROXY, 4, '/api/domains', via('198.51.100.1'))).toEqual([200, 200, 200, 429]);
    expect(await spend(app, PROXY, 1, '/api/domains', via('198.51.100.2'))).toEqual([200]);
    // Entries left of the proxy's own are the client's to invent: changing them buys nothing.
    const spoofed = [];
    for (let i = 0; i < 3; i++) spoofed.push((await requestFrom(app, PROXY, '/api/domains', via(`192.0.2.${i}, 198.51.100.2`))).status);
    expect(spoofed).toEqual([200, 200, 429]);
    // A request that bypassed the proxy has no header and counts as the socket it came from.
    expect(await spend(app, PROXY, 4)).toEqual([200, 200, 200, 429]);
  });

  it('with two proxies, counts the entry the outer one added', async () => {
    const { app } = slowApp({ trustedProxies: 2 });
    const via = (header: string) => ({ headers: { 'x-forwarded-for': header } });
    expect(await spend(app, PROXY, 4, '/api/domains', via('192.0.2.1, 198.51.100.1, 10.0.0.1'))).toEqual([200, 200, 200, 429]);
    expect(await spend(app, PROXY, 1, '/api/domains', via('192.0.2.1, 198.51.100.2, 10.0.0.1'))).toEqual([200]);
  });

  it('counts an IPv6 /64 as one client, and an IPv4-mapped address as the IPv4 one', async () => {
    const { app } = slowApp();
    expect(await spend(app, '2001:db8:1:2::1', 2)).toEqual([200, 200]);
    expect(await spend(app, '2001:db8:1:2:ffff:ffff:ffff:ffff', 2)).toEqual([200, 429]);
    expect(await spend(app, '2001:db8:1:3::1', 1)).toEqual([200]);
    expect(await spend(app, A, 2)).toEqual([200, 200]);
    expect(await spend(app, `::ffff:${A}`, 2)).toEqual([200, 429]);
  });

  it('gives the page, its files, /healthz and /metrics a budget of their own', async () => {
    const { app } = slowApp();
    await spend(app, A, 4);
    for (const path of ['/', '/app.js', '/style.css', '/inbox/someone@ephemail.test', '/healthz', '/metrics']) {
      expect((await requestFrom(app, A, path)).status, path).toBe(200);
    }
    // Four times the API's burst: 12, of which 6 are spent.
    expect(await spend(app, A, 7, '/healthz')).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const refused = await requestFrom(app, A, '/');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
  });

  it('leaves a 429 readable by a script on another origin', async () => {
    const { app } = slowApp();
    await spend(app, A, 3);
    const refused = await requestFrom(app, A, '/api/domains', { headers: { origin: 'https://tests.example' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
  });

  it('uses the documented defaults: a burst of 120, then 10 a second', async () => {
    const { app, clock } = buildTestApp();
    const statuses = await spend(app, A, 121);
    expect(statuses.filter((status) => status === 200)).toHaveLength(120);
    expect(statuses.at(-1)).toBe(429);
    clock.advance(100);
    expect(await spend(app, A, 2)).toEqual([200, 429]);
  });
});
