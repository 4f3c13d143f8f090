import type { Context } from 'hono';

/** How the app answers a request made in process: hono's `app.request`, with the node adapter's env. */
export type AppRequest = (input: string, init: RequestInit, env: unknown) => Response | Promise<Response>;

/** What an API route answered: its status and its JSON (a problem document from 400 up; null for 204). */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** One request to the API on behalf of the MCP request being answered; `path` is under /api. */
export type ApiCall = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: object) => Promise<ApiAnswer>;

/**
 * The API, called in process for the MCP request `c`. Each call goes through
 * the whole app, so validation, limits and problem codes are the API's own:
 * it counts against the same client (the socket and X-Forwarded-For of `c`),
 * spends that client's API budget, and stops when the MCP client hangs up.
 */
export function inProcessApi(request: AppRequest, c: Context): ApiCall {
  const forwardedFor = c.req.header('x-forwarded-for');
  return async (method, path, body) => {
    const headers = new Headers();
    if (forwardedFor !== undefined) headers.set('x-forwarded-for', forwardedFor);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const init: RequestInit = { method, headers, signal: c.req.raw.signal };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await request(`http://in-process/api${path}`, init, c.env);
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
}
