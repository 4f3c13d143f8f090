import { Hono } from 'hono';
import type { ApiDependencies } from './dependencies.js';
import { inboxRoutes } from './inboxes.js';
import { messageRoutes } from './messages.js';
import { waitRoutes } from './wait.js';
import { renderDocsPage } from '../openapi/docs-page.js';
import { openApiDocument } from '../openapi/document.js';

// The reference page has no script and only inline styles of its own.
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** Everything under /api. */
export function apiRoutes(deps: ApiDependencies): Hono {
  // CORS, rate limits and body limits apply to these routes from the app (app.ts), before routing.
  const api = new Hono();
  api.route('/', inboxRoutes(deps));
  api.route('/', waitRoutes(deps));
  api.route('/', messageRoutes(deps));
  const document = openApiDocument();
  const docsPage = renderDocsPage(document);
  api.get('/openapi.json', (c) => c.json(document));
  api.get('/docs', (c) => c.html(docsPage, 200, { 'content-security-policy': DOCS_CSP }));
  return api;
}
