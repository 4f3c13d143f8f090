import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

// A browser script may read these: how many remote images were blocked, and when to come back after a 429 or 503.
const EXPOSED_HEADERS = ['X-Blocked-Remote-Content', 'Retry-After'];

/**
 * CORS for the API: any origin may GET, and nothing carries credentials.
 * Preflights are hono's cors. Other requests get the same headers, but as
 * headers prepared for the response the route will make: hono's cors sets
 * them on `c.res` before the route runs, and hono then rebuilds the route's
 * response through a stream, copying its body (a message's raw bytes, an
 * attachment, a cached document) once for every request.
 */
export function apiCors(): MiddlewareHandler {
  const preflight = cors({ origin: '*', allowMethods: ['GET'], exposeHeaders: EXPOSED_HEADERS });
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(','));
    await next();
  };
}
