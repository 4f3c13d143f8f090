import type { Hono } from 'hono';
import { buildTestApp, type TestAppOptions } from '../support/http-app.js';

/** One request to one route; `route` is spelled as in `app.routes` ("GET /api/inboxes/:address"). */
export interface RouteRequest {
  route: string;
  path: string;
  init?: RequestInit;
}

const INBOX = 'every-route@ephemail.test';
const MCP_INITIALIZE = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'every-route', version: '1' } },
});

/** A message with every kind of part a route serves: text, HTML, an inline image and an HTML attachment. */
function fullMessage(): string {
  const html = '<p>Hello <img src="cid:logo@example.com"></p>';
  return [
    'From: Shop <shop@example.com>', `To: ${INBOX}`, 'Subject: every part', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mix"', '',
    '--mix', 'Content-Type: multipart/related; boundary="rel"', '',
    '--rel', 'Content-Type: text/html; charset=utf-8', '', html, '',
    '--rel', 'Content-Type: image/gif', 'Content-ID: <logo@example.com>', 'Content-Transfer-Encoding: base64', '',
    'R0lGODlhAQABAAAAACw=', '', '--rel--', '',
    '--mix', 'Content-Type: text/html; charset=utf-8', 'Content-Disposition: attachment; filename="page.html"', '',
    '<script>alert(1)</script>', '', '--mix--', '',
  ].join('\r\n');
}

/**
 * A test app with one full message, and a request for every route it
 * serves; deleting routes come last. `limits` are generous unless given,
 * so tests that are not about rate limits do not meet them.
 */
export async function everyRoute(limits: TestAppOptions['limits'] = { rateBurst: 10_000 }) {
  const test = buildTestApp({ limits });
  const [first] = await test.deliver(fullMessage(), [INBOX]);
  const [second] = await test.deliver(fullMessage(), [INBOX]);
  if (first === undefined || second === undefined) throw new Error('nothing stored');
  const inbox = `/api/inboxes/${encodeURIComponent(INBOX)}`;
  const message = `${inbox}/messages/${first.id}`;
  const requests: RouteRequest[] = [
    { route: 'GET /healthz', path: '/healthz' },
    { route: 'GET /readyz', path: '/readyz' },
    { route: 'GET /metrics', path: '/metrics' },
    { route: 'GET /', path: '/' },
    { route: 'GET /index.html', path: '/index.html' },
    { route: 'GET /inbox', path: '/inbox' },
    { route: 'GET /inbox/*', path: `/inbox/${INBOX}` },
    { route: 'GET /app.js', path: '/app.js' },
    { route: 'GET /style.css', path: '/style.css' },
    { route: 'GET /css/*', path: '/css/inbox.css' },
    { route: 'GET /favicon.svg', path: '/favicon.svg' },
    { route: 'GET /js/*', path: '/js/api.js' },
    { route: 'GET /locales/*', path: '/locales/en.json' },
    { route: 'GET /vendor/uqr.mjs', path: '/vendor/uqr.mjs' },
    { route: 'GET /api/openapi.json', path: '/api/openapi.json' },
    { route: 'GET /api/docs', path: '/api/docs' },
    { route: 'GET /api/domains', path: '/api/domains' },
    { route: 'POST /api/inboxes', path: '/api/inboxes', init: { method: 'POST', body: '{"localPart":"every"}', headers: { 'content-type': 'application/json' } } },
    { route: 'GET /api/addresses/check', path: '/api/addresses/check?localPart=every' },
    { route: 'GET /api/inboxes/:address/messages', path: `${inbox}/messages` },
    { route: 'GET /api/inboxes/:address/wait', path: `${inbox}/wait?timeout=1` },
    { route: 'GET /api/inboxes/:address/messages/:id', path: message },
    { route: 'GET /api/inboxes/:address/messages/:id/html', path: `${message}/html` },
    { route: 'GET /api/inboxes/:address/messages/:id/report', path: `${message}/report` },
    { route: 'GET /api/inboxes/:address/messages/:id/text', path: `${message}/text` },
    { route: 'GET /api/inboxes/:address/messages/:id/raw', path: `${message}/raw` },
    { route: 'GET /api/inboxes/:address/messages/:id/attachments/:index', path: `${message}/attachments/0` },
    { route: 'GET /api/inboxes/:address/messages/:id/attachments/:index', path: `${message}/attachments/1` },
    { route: 'POST /mcp', path: '/mcp', init: { method: 'POST', body: MCP_INITIALIZE, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } } },
    { route: 'GET /mcp', path: '/mcp' },
    { route: 'DELETE /mcp', path: '/mcp', init: { method: 'DELETE' } },
    { route: 'DELETE /api/inboxes/:address/messages/:id', path: `${inbox}/messages/${second.id}`, init: { method: 'DELETE' } },
    { route: 'DELETE /api/inboxes/:address', path: inbox, init: { method: 'DELETE' } },
  ];
  return { ...test, requests };
}

/** Every route the app serves (middleware, registered as ALL, aside). */
export function servedRoutes(app: Hono): string[] {
  return [...new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`))].sort();
}

/** The routes `requests` reach. */
export function coveredRoutes(requests: readonly RouteRequest[]): string[] {
  return [...new Set(requests.map((request) => request.route))].sort();
}
