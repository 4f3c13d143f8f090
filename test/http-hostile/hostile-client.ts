import type { Hono } from 'hono';
import type { ApiProblemBody } from '../../src/http/api/types.js';

/**
 * The bindings the node adapter gives the app, reduced to what the limits
 * read: `app.request(url, init, from('203.0.113.5'))` is a request whose
 * socket comes from that address.
 */
export function from(remoteAddress: string) {
  return { incoming: { socket: { remoteAddress } } };
}

/** `app.request()` from one address, always as a promise. */
export function requestFrom(app: Hono, address: string, path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(app.request(path, init, from(address)));
}

/** The problem document of an error response, after checking its content type. */
export async function problemOf(response: Response): Promise<ApiProblemBody> {
  if (response.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(`expected a problem document, got ${response.status} ${response.headers.get('content-type')}`);
  }
  return (await response.json()) as ApiProblemBody;
}

/** Lets pending promise callbacks (store reads, hub subscriptions) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** What every response of the app carries, whatever its route or status. */
export function securityHeaderProblems(label: string, response: Response): string[] {
  const problems: string[] = [];
  if (response.headers.get('referrer-policy') !== 'no-referrer') problems.push(`${label}: Referrer-Policy is ${response.headers.get('referrer-policy')}`);
  if (response.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${label}: X-Content-Type-Options is ${response.headers.get('x-content-type-options')}`);
  const type = response.headers.get('content-type') ?? '';
  const csp = response.headers.get('content-security-policy') ?? '';
  if (/^text\/html\b/i.test(type) && !/(^|;)\s*frame-ancestors\s/.test(csp)) problems.push(`${label}: HTML without frame-ancestors (CSP: ${csp || 'none'})`);
  return problems;
}
