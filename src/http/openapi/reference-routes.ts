import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import { registerSharedResponses, otherwise } from './components.js';
import { renderDocsPage } from './docs-page.js';
import { openApiDocument } from './document.js';

// The reference page has no script and only inline styles of its own.
const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

// No query schemas: a fixed document has nothing to misspell, and a cache-busting `?v=` is harmless.
const documentRoute = createRoute({
  method: 'get', path: '/api/openapi.json', operationId: 'getOpenApi', tags: ['Reference'], summary: 'This OpenAPI document',
  responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } }, ...otherwise },
});

const pageRoute = createRoute({
  method: 'get', path: '/api/docs', operationId: 'getDocs', tags: ['Reference'], summary: 'The API reference page',
  responses: { 200: { description: 'This document as a page.', content: { 'text/html': { schema: z.string() } } }, ...otherwise },
});

/**
 * Serves the OpenAPI document of every route `app` has, and the reference
 * page rendered from it. Call it once every other route is on: both are
 * made here, once, from the route definitions registered by then.
 */
export function serveReference(app: OpenAPIHono<BlankEnv>): void {
  registerSharedResponses(app);
  // The two routes go on before the document is made, so that it describes them too.
  const reference = { document: {}, page: '' };
  app.openapi(documentRoute, (c) => c.json(reference.document, 200));
  app.openapi(pageRoute, (c) => c.html(reference.page, 200, { 'content-security-policy': DOCS_CSP }));
  const document = openApiDocument(app);
  reference.document = document;
  reference.page = renderDocsPage(document);
}
