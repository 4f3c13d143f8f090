import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { ApiDependencies } from './api-dependencies.js';
import { inboxRoutes } from './api-inboxes.js';
import { messageRoutes } from './api-messages.js';
import { waitRoutes } from './api-wait.js';

/** Everything under /api. */
export function apiRoutes(deps: ApiDependencies): Hono {
  const api = new Hono();
  // Reading is open to any origin so test runners in browsers can call it; the address is the key.
  api.use('*', cors({ origin: '*', allowMethods: ['GET'], exposeHeaders: ['X-Blocked-Remote-Content'] }));
  api.route('/', inboxRoutes(deps));
  api.route('/', waitRoutes(deps));
  api.route('/', messageRoutes(deps));
  return api;
}
