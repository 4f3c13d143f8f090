import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import { problemBodySchema } from '../api/schemas.js';
import type { ApiProblemBody } from '../api/types.js';
import { exampleProblems } from './examples.js';

/** The names under `components.responses`. */
export type ResponseName =
  | 'BadRequest' | 'NotFound' | 'RequestTimeout' | 'PayloadTooLarge' | 'TooManyRequests' | 'ServiceUnavailable' | 'Problem';

type Examples<T> = Record<string, { summary: string; value: T }>;

/** A `$ref` to a shared problem response. */
export function responseRef(name: ResponseName): { $ref: string } {
  return { $ref: `#/components/responses/${name}` };
}

/** An `application/json` body of `schema`, with named examples that must fit it. */
export function jsonContent<T extends z.ZodType>(schema: T, examples: Examples<z.output<T>>) {
  return { 'application/json': { schema, examples } };
}

/** An `application/problem+json` body with the given problems as named examples. */
export function problemContent(examples: Record<string, ApiProblemBody>) {
  return { 'application/problem+json': { schema: problemBodySchema, examples: titled(examples) } };
}

function titled(problems: Record<string, ApiProblemBody>): Examples<ApiProblemBody> {
  return Object.fromEntries(Object.entries(problems).map(([name, value]) => [name, { summary: value.title, value }]));
}

/** `Retry-After` on a refusal that passes with time. */
export const retryAfter = { description: 'Seconds to wait before trying again.', schema: { type: 'integer' as const, minimum: 0 } };

/** The responses every route may give: a refused budget, and any other error. */
export const otherwise = { 429: responseRef('TooManyRequests'), default: responseRef('Problem') };

/** The same, for routes that read the store, which may be away. */
export const fromStore = { 429: responseRef('TooManyRequests'), 503: responseRef('ServiceUnavailable'), default: responseRef('Problem') };

// Shared responses are plain OpenAPI, not zod: they name the problem schema, which is registered below.
function shared(description: string, examples: Record<string, ApiProblemBody>, headers?: Record<string, typeof retryAfter>) {
  const content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ApiProblemBody' }, examples: titled(examples) } };
  return { description, ...(headers === undefined ? {} : { headers }), content };
}

const RESPONSES: Record<ResponseName, ReturnType<typeof shared>> = {
  BadRequest: shared(
    'The address or a parameter is invalid, or the query names a parameter the route does not take: `detail` says which and why, and `code` what kind of mistake it is.',
    {
      unknownParameter: exampleProblems.unknownParameter,
      invalidFilter: exampleProblems.invalidFilter,
      invalidAddress: exampleProblems.invalidAddress,
      domainNotAccepted: exampleProblems.domainNotAccepted,
    },
  ),
  NotFound: shared(
    'This inbox has no such message (it may have expired or been deleted), or no such part.',
    { notFound: exampleProblems.notFound },
  ),
  RequestTimeout: shared(
    'No matching message arrived in time. Nothing is wrong: call again to keep waiting.',
    { timeout: exampleProblems.timeout },
  ),
  PayloadTooLarge: shared('The request body is over 16 KB.', { tooLarge: exampleProblems.tooLarge }),
  TooManyRequests: shared(
    'This client is over its request budget (`--rate-limit`, `--rate-burst`); or, for the wait route, holds as many open waits as it may (`--max-waiters-per-client`); or, for a listing, a message, its HTML, text, an attachment or its report, has 8 such reads in flight already (`too_many_reads`); or, on any route, holds as many connections open as one client may (`--http-max-connections-per-client`, `too_many_connections_from_client`, answered before the request is read, and the connection closed).',
    { tooMany: exampleProblems.tooMany },
    { 'Retry-After': retryAfter },
  ),
  ServiceUnavailable: shared(
    'The message store cannot be reached right now; or, for the wait route, the server holds as many open waits as it will (`--max-waiters`); or, for a listing, a wait, a message, its HTML, text, an attachment or its report, as many messages are waiting to be read as the server queues (`server_busy`); or, for a report, none could be made (`report_failed`, for 30 s); or, on any route, it holds as many connections as it takes (`--http-max-connections`, `server_busy`, answered with the connection closed); or, for `/healthz`, the server has just started and is still loading what it needs to read mail (`starting`, for a few seconds at most).',
    { unavailable: exampleProblems.unavailable, starting: exampleProblems.starting },
    { 'Retry-After': { ...retryAfter, description: 'Seconds to wait before trying again, when the server knows.' } },
  ),
  Problem: shared('Any other error, such as a 500; the cause is logged on the server.', { internal: exampleProblems.internal }),
};

/** Adds the shared problem responses, and the schema they name, to the app's document. */
export function registerSharedResponses(app: OpenAPIHono<BlankEnv>): void {
  app.openAPIRegistry.register('ApiProblemBody', problemBodySchema);
  for (const [name, response] of Object.entries(RESPONSES)) app.openAPIRegistry.registerComponent('responses', name, response);
}
