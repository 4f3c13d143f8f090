import { OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { Logger } from '../runtime/log.js';
import type { Metrics } from '../runtime/metrics.js';
import type { ApiDependencies } from './api/dependencies.js';
import { apiCors } from './api-cors.js';
import { apiRoutes } from './api/routes.js';
import { bodyLimits } from './limits/body-limits.js';
import { mcpRoutes } from './mcp/mcp-routes.js';
import { opsRoutes } from './ops-routes.js';
import { ApiProblem, problemJson, problemResponse } from './problem.js';
import { serveReference } from './openapi/reference-routes.js';
import { rateLimits } from './limits/rate-limit-middleware.js';
import { BASE_RESPONSE_HEADERS } from './security-headers.js';
import { staticRoutes } from './static-routes.js';

/** What the HTTP app is built from. */
export interface HttpAppOptions extends ApiDependencies {
  metrics: Metrics;
  /** False until the parse workers are ready for the first read: /healthz and /readyz answer 503 `starting` meanwhile. */
  isWarm: () => boolean;
  /** True once the server has begun to stop: /readyz answers 503 `stopping`. */
  isStopping: () => boolean;
  log: Logger;
}

/**
 * The whole HTTP surface as one hono app; tests call `app.request()` on it
 * without a socket. Every request passes, in order: security headers, CORS
 * for /api, the client's rate limit, body limits, then routing and the
 * route's own validation. Every error, a refused request included, becomes
 * a problem document in `onError` below.
 */
export function createHttpApp(options: HttpAppOptions): OpenAPIHono<BlankEnv> {
  const app = new OpenAPIHono<BlankEnv>();
  // Set before the route runs, so they are part of the response it makes, and a route's own policy
  // replaces the default; set after it, they would make hono copy the response's body (see api-cors.ts).
  app.use(async (c, next) => {
    for (const [name, value] of Object.entries(BASE_RESPONSE_HEADERS)) c.header(name, value);
    await next();
  });
  // Reading is open to any origin so test runners in browsers can call it; the address is the key.
  // Ahead of the limits, so a browser script can read a 429 and its Retry-After.
  app.use('/api/*', apiCors());
  app.use(rateLimits(options.limits));
  app.use(bodyLimits());
  // The API first: the generated document lists paths in the order they are mounted.
  app.route('/api', apiRoutes(options));
  // The tools call the routes above in process, as the same client: same checks, limits, sentences and codes.
  app.route('/', mcpRoutes((input, init, env) => app.request(input, init, env)));
  app.route('/', opsRoutes(options));
  app.route('/', staticRoutes());
  serveReference(app);
  app.notFound((c) => problemJson(c, new ApiProblem(404, 'Not Found', `There is nothing at ${new URL(c.req.url).pathname}.`, { code: 'not_found' })));
  // The route pattern, never the path: a path names an inbox, and the address is its only key.
  app.onError((error, c) => problemResponse(error, c, (unexpected) => {
    const request = { method: c.req.method, route: c.req.routePath };
    // A request cut off mid-body by a client that hung up fails for want of a client, not for a fault here.
    if (c.req.raw.signal.aborted) options.log.info({ ...request, reason: reasonOf(unexpected) }, 'the client went away before its request was answered');
    else options.log.error({ err: unexpected, ...request }, 'request failed');
  }));
  return app;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
