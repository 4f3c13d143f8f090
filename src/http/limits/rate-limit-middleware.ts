import type { MiddlewareHandler } from 'hono';
import type { HttpLimits } from './limits.js';
import { MCP_PATH } from '../mcp/mcp-path.js';
import { ApiProblem } from '../problem.js';
import { tooManyRequestsDetail } from './rate-limit.js';

/**
 * Spends one token of the client's budget on every request, before routing,
 * so a refused request costs no more than reading its headers: the API's
 * budget under /api and on /mcp (whose tools are API calls, each of which
 * spends a token of its own too), the site's elsewhere. Over budget it is a
 * 429 problem with Retry-After in whole seconds.
 */
export function rateLimits(limits: Pick<HttpLimits, 'api' | 'site' | 'clientOf'>): MiddlewareHandler {
  return async (c, next) => {
    const limiter = isApiPath(c.req.path) ? limits.api : limits.site;
    const decision = await limiter.take(limits.clientOf(c));
    if (!decision.ok) {
      const { retryAfterSeconds } = decision;
      throw new ApiProblem(429, 'Too Many Requests', tooManyRequestsDetail(retryAfterSeconds), {
        code: 'rate_limited', headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
    return next();
  };
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === MCP_PATH;
}
