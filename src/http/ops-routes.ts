import { Hono } from 'hono';
import type { Metrics } from '../runtime/metrics.js';
import type { Store } from '../store/store.js';
import { ApiProblem } from './problem.js';

/** Health and metrics for operators and orchestrators. */
export function opsRoutes(store: Store, metrics: Metrics): Hono {
  const routes = new Hono();

  routes.get('/healthz', async (c) => {
    try {
      const stats = await store.stats();
      return c.json({ status: 'ok', store: 'ok', messages: stats.messages, bytes: stats.bytes });
    } catch {
      throw new ApiProblem(503, 'Service Unavailable', 'The message store cannot be reached, so mail cannot be stored or read right now.');
    }
  });

  routes.get('/metrics', async (c) => {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType });
  });

  return routes;
}
