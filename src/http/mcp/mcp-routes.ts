import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import type { BlankEnv } from 'hono/types';
import { ApiProblem } from '../problem.js';
import { inProcessApi, type AppRequest } from './in-process-api.js';
import { createToolServer } from './tools.js';
import { MCP_PATH } from './mcp-path.js';

/** The MCP endpoint's path on the HTTP port. */

/**
 * The MCP endpoint, Streamable HTTP in stateless mode: each POST gets a
 * server and transport of its own, answered with plain JSON and closed with
 * the request. Nothing outlives a request, so there is no session to expire,
 * guess or hold memory, and every instance behind a load balancer answers
 * alike. Its tools call the API through `request` (the app's own
 * `app.request`); the app's rate limit and body limits apply before this.
 */
export function mcpRoutes(request: AppRequest): Hono<BlankEnv> {
  const routes = new Hono<BlankEnv>();

  // Browsers send Origin and MCP clients do not: refusing it keeps other sites, and DNS rebinding, from driving the tools.
  routes.use(MCP_PATH, async (c, next) => {
    if (c.req.header('origin') !== undefined) {
      throw new ApiProblem(403, 'Forbidden', `${MCP_PATH} is for MCP clients, not web pages: a request from a page (one with an Origin header) is refused.`, { code: 'origin_not_allowed' });
    }
    await next();
  });

  routes.post(MCP_PATH, async (c) => {
    const server = createToolServer(inProcessApi(request, c));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      const answer = await transport.handleRequest(c.req.raw);
      // Through the context, so the headers the app prepared for every response (security-headers.ts) are on it.
      return c.newResponse(answer.body, answer);
    } finally {
      await server.close();
    }
  });

  // The spec's answer for a server that offers no stream of its own (GET) and no sessions to end (DELETE).
  routes.on(['GET', 'DELETE'], MCP_PATH, () => {
    throw new ApiProblem(405, 'Method Not Allowed', `This MCP server keeps no sessions and sends nothing unasked, so ${MCP_PATH} takes only POST.`, {
      code: 'method_not_allowed', headers: { allow: 'POST' },
    });
  });

  return routes;
}
