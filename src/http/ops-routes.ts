import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { Metrics } from '../runtime/metrics.js';
import type { Store } from '../store/store.js';
import { healthSchema } from './api/schemas.js';
import { fromStore, jsonContent, otherwise, problemContent, retryAfter } from './openapi/components.js';
import { exampleHealth, exampleProblems } from './openapi/examples.js';
import { ApiProblem } from './problem.js';

/** What the operations routes read. */
export interface OpsDependencies {
  store: Store;
  metrics: Metrics;
  /** False until the parse workers are ready for the first read. */
  isWarm: () => boolean;
  /** True once the server has begun to stop. */
  isStopping: () => boolean;
}

const STARTING = 'The server is still loading what it needs to read mail; it will be ready in a few seconds.';
const STOPPING = 'This instance is stopping; a load balancer should send new requests and connections to another one.';

// No query schemas: these take no parameters, and a probe or scraper that adds some is not turned away.
const healthRoute = createRoute({
  method: 'get', path: '/healthz', operationId: 'getHealth', tags: ['Operations'], summary: 'Health check',
  responses: {
    200: { description: 'Up, ready to read mail, and the store answers. Until the parse workers have loaded what reads need (a few seconds at most after start), it answers 503 `starting`, so load balancers and health checks send no traffic yet.', content: jsonContent(healthSchema, { ok: { summary: 'Healthy', value: exampleHealth } }) },
    ...fromStore,
  },
});

const readySchema = z.object({
  status: z.literal('ready').openapi({ description: 'Always `ready` with status 200.' }),
}).openapi('ApiReadiness', { description: 'The instance takes traffic.' });

const readyRoute = createRoute({
  method: 'get', path: '/readyz', operationId: 'getReadiness', tags: ['Operations'], summary: 'Readiness for a load balancer',
  responses: {
    200: {
      description: 'This instance takes traffic: its parse workers are warm and it is not stopping. It does not ask the store: every instance shares it, so taking them all out of a load balancer while it is away would only replace the API\'s own 503 `store_unavailable` (and SMTP\'s 451) with the balancer\'s error. Use `/healthz` to watch the store.',
      content: jsonContent(readySchema, { ready: { summary: 'Ready', value: { status: 'ready' } } }),
    },
    503: {
      description: 'Send it nothing new: it is still loading what reads need (`starting`, a few seconds at most after start), or it has begun to stop (`stopping`: it still serves for about two seconds, so a balancer that checks every second takes it out before its SMTP port refuses).',
      headers: { 'Retry-After': retryAfter },
      content: problemContent({ starting: exampleProblems.starting, stopping: exampleProblems.stopping }),
    },
    ...otherwise,
  },
});

const metricsRoute = createRoute({
  method: 'get', path: '/metrics', operationId: 'getMetrics', tags: ['Operations'], summary: 'Prometheus metrics',
  responses: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } }, ...otherwise },
});

/** Health, readiness and metrics for operators, orchestrators and load balancers. */
export function opsRoutes({ store, metrics, isWarm, isStopping }: OpsDependencies): OpenAPIHono<BlankEnv> {
  const routes = new OpenAPIHono<BlankEnv>();

  routes.openapi(healthRoute, async (c) => {
    if (!isWarm()) throw new ApiProblem(503, 'Starting', STARTING, { code: 'starting', headers: { 'retry-after': '1' } });
    try {
      const stats = await store.stats();
      return c.json({ status: 'ok' as const, store: 'ok' as const, messages: stats.messages, bytes: stats.bytes }, 200);
    } catch {
      throw new ApiProblem(503, 'Service Unavailable', 'The message store cannot be reached, so mail cannot be stored or read right now.', { code: 'store_unavailable' });
    }
  });

  routes.openapi(readyRoute, (c) => {
    if (isStopping()) throw new ApiProblem(503, 'Stopping', STOPPING, { code: 'stopping', headers: { 'retry-after': '5' } });
    if (!isWarm()) throw new ApiProblem(503, 'Starting', STARTING, { code: 'starting', headers: { 'retry-after': '1' } });
    return c.json({ status: 'ready' as const }, 200);
  });

  routes.openapi(metricsRoute, async (c) => {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType });
  });

  return routes;
}
