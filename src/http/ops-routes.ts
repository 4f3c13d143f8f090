import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { Metrics } from '../runtime/metrics.js';
import type { Store } from '../store/store.js';
import { healthSchema } from './api/schemas.js';
import { fromStore, jsonContent, otherwise } from './openapi/components.js';
import { exampleHealth } from './openapi/examples.js';
import { ApiProblem } from './problem.js';

// No query schemas: these take no parameters, and a probe or scraper that adds some is not turned away.
const healthRoute = createRoute({
  method: 'get', path: '/healthz', operationId: 'getHealth', tags: ['Operations'], summary: 'Health check',
  responses: {
    200: { description: 'Up, ready to read mail, and the store answers. Until the parse workers have loaded what reads need (a few seconds at most after start), it answers 503 `starting`, so load balancers and health checks send no traffic yet.', content: jsonContent(healthSchema, { ok: { summary: 'Healthy', value: exampleHealth } }) },
    ...fromStore,
  },
});

const metricsRoute = createRoute({
  method: 'get', path: '/metrics', operationId: 'getMetrics', tags: ['Operations'], summary: 'Prometheus metrics',
  responses: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } }, ...otherwise },
});

/** Health and metrics for operators and orchestrators; `isWarm` says whether the parse workers are ready for the first read. */
export function opsRoutes(store: Store, metrics: Metrics, isWarm: () => boolean): OpenAPIHono<BlankEnv> {
  const routes = new OpenAPIHono<BlankEnv>();

  routes.openapi(healthRoute, async (c) => {
    if (!isWarm()) {
      throw new ApiProblem(503, 'Starting', 'The server is still loading what it needs to read mail; it will be ready in a few seconds.', { code: 'starting', headers: { 'retry-after': '1' } });
    }
    try {
      const stats = await store.stats();
      return c.json({ status: 'ok' as const, store: 'ok' as const, messages: stats.messages, bytes: stats.bytes }, 200);
    } catch {
      throw new ApiProblem(503, 'Service Unavailable', 'The message store cannot be reached, so mail cannot be stored or read right now.', { code: 'store_unavailable' });
    }
  });

  routes.openapi(metricsRoute, async (c) => {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType });
  });

  return routes;
}
