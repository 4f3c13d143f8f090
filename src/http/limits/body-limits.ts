import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiProblem } from '../problem.js';

/**
 * The ceiling for any method that carries a body. Routes that take one set
 * their own, smaller limit with a sentence about what they expect
 * (POST /api/inboxes: 16 KB); this catches a route that forgets to.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * What a request that carries no body here may still send and have ignored:
 * some clients put a stray `{}` or an empty form on DELETE.
 */
const NO_BODY_MAX_BYTES = 1024;

// Every route of this server that reads a body is a POST; no route takes PUT or PATCH, but their bodies are bounded anyway.
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Body limits for every route, applied before routing. Whatever carries a
 * body the app can see is held by hono's bodyLimit, which trusts a declared
 * Content-Length and reads a chunked body only up to the limit: methods that
 * may carry one here to `MAX_BODY_BYTES`, the rest (DELETE, OPTIONS) to
 * `NO_BODY_MAX_BYTES`. GET and HEAD are judged by their headers alone: the
 * node adapter drops their bodies before the app sees the request, so
 * bodyLimit would see none, and a chunked one cannot be sized without
 * reading it. Every 413 closes the connection, so Node does not read the
 * rest of a large body just to reuse it.
 */
export function bodyLimits(): MiddlewareHandler {
  const bodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw bodyTooLarge(); } });
  const strays = bodyLimit({ maxSize: NO_BODY_MAX_BYTES, onError: (c) => { throw bodyNotTaken(c.req.method); } });
  return async (c, next) => {
    const { method } = c.req;
    if (BODY_METHODS.has(method)) return bodies(c, next);
    if (method !== 'GET' && method !== 'HEAD') return strays(c, next);
    const declared = Number.parseInt(c.req.header('content-length') ?? '0', 10);
    if (c.req.header('transfer-encoding') !== undefined || declared > NO_BODY_MAX_BYTES) throw bodyNotTaken(method);
    return next();
  };
}

function bodyTooLarge(): ApiProblem {
  return new ApiProblem(413, 'Payload Too Large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB, more than any request here needs.`, {
    code: 'payload_too_large', headers: { connection: 'close' },
  });
}

function bodyNotTaken(method: string): ApiProblem {
  return new ApiProblem(413, 'Payload Too Large', `A ${method} request here takes no body; send it without one.`, {
    code: 'payload_too_large', headers: { connection: 'close' },
  });
}
