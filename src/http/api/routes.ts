import type { OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { ApiDependencies } from './dependencies.js';
import { eventsRoute } from './events-route.js';
import { inboxRoutes } from './inboxes.js';
import { messageRoutes } from './messages.js';
import { reportRoutes } from './report-route.js';
import { eventFrameSchema } from './schemas.js';
import { apiRouter } from './validation.js';
import { waitRoutes } from './wait.js';

/** Everything under /api but its reference (served from the whole app's routes: openapi/reference-routes.ts). */
export function apiRoutes(deps: ApiDependencies): OpenAPIHono<BlankEnv> {
  // CORS, rate limits and body limits apply to these routes from the app (app.ts), before routing.
  const api = apiRouter();
  api.route('/', inboxRoutes(deps));
  api.route('/', waitRoutes(deps));
  api.route('/', messageRoutes(deps));
  api.route('/', reportRoutes(deps));
  // Answered on the upgrade path (events/sockets.ts), which hono never sees: in the document only, with its frames.
  api.openAPIRegistry.registerPath(eventsRoute);
  api.openAPIRegistry.register('ApiEvent', eventFrameSchema);
  return api;
}
