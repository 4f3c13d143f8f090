import { Hono } from 'hono';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ApiDependencies } from './api-dependencies.js';
import { apiRoutes } from './api-routes.js';
import { opsRoutes } from './ops-routes.js';
import { ApiProblem, problemJson, problemResponse } from './problem.js';

/** What the HTTP app is built from. */
export interface HttpAppOptions extends ApiDependencies {
  metrics: Metrics;
  log: Logger;
}

/** The whole HTTP surface as one hono app; tests call `app.request()` on it without a socket. */
export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    // The address is the only key to an inbox, so no URL of ours may travel in a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.route('/', opsRoutes(options.store, options.metrics));
  app.route('/api', apiRoutes(options));
  app.notFound((c) => problemJson(c, new ApiProblem(404, 'Not Found', `There is nothing at ${new URL(c.req.url).pathname}.`)));
  app.onError((error, c) => problemResponse(error, c, (unexpected) => options.log.error({ err: unexpected, path: c.req.path }, 'request failed')));
  return app;
}
