import type { ApiProblemBody } from '../api/types.js';
import { EXAMPLE_ADDRESS, EXAMPLE_MESSAGE_ID, exampleProblems } from './examples.js';
import { schemaRef, type SchemaName } from './schemas.js';
import type { HeaderObject, MediaTypeObject, ParameterObject, Reference, ResponseObject } from './types.js';

/** The names under `components.parameters`. */
export type ParameterName =
  | 'address' | 'messageId' | 'attachmentIndex' | 'subject' | 'from' | 'to' | 'since' | 'limit' | 'timeout' | 'remote'
  | 'checkLocalPart' | 'checkDomain';

/** The names under `components.responses`. */
export type ResponseName =
  | 'BadRequest' | 'NotFound' | 'RequestTimeout' | 'PayloadTooLarge' | 'TooManyRequests' | 'ServiceUnavailable' | 'Problem';

/** A `$ref` to a shared parameter. */
export function parameterRef(name: ParameterName): Reference {
  return { $ref: `#/components/parameters/${name}` };
}

/** A `$ref` to a shared response. */
export function responseRef(name: ResponseName): Reference {
  return { $ref: `#/components/responses/${name}` };
}

/** An `application/json` body of the named schema with named examples. */
export function jsonContent(schema: SchemaName, examples: Record<string, { summary: string; value: unknown }>): Record<string, MediaTypeObject> {
  return { 'application/json': { schema: schemaRef(schema), examples } };
}

/** An `application/problem+json` body with the given problems as named examples. */
export function problemContent(examples: Record<string, ApiProblemBody>): Record<string, MediaTypeObject> {
  const named = Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { summary: value.title, value }]));
  return { 'application/problem+json': { schema: schemaRef('ApiProblemBody'), examples: named } };
}

function query(name: string, description: string, schema: ParameterObject['schema'], example?: unknown): ParameterObject {
  return example === undefined ? { name, in: 'query', description, schema } : { name, in: 'query', description, schema, example };
}

const SUBSTRING = 'Case-insensitive substring';

/** `Retry-After` on a refusal that passes with time. */
export const retryAfter: HeaderObject = { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } };

/** Parameters shared by several operations. */
export const parameters: Record<ParameterName, ParameterObject> = {
  address: {
    name: 'address', in: 'path', required: true,
    description: 'The inbox address, URL-encoded (`@` as `%40`). Case-insensitive, and `name+tag@domain` reads inbox `name@domain`. Its domain must be accepted by the server.',
    schema: { type: 'string' }, example: EXAMPLE_ADDRESS,
  },
  messageId: {
    name: 'id', in: 'path', required: true, description: 'A message id from a list, a wait or an event.',
    schema: { type: 'string' }, example: EXAMPLE_MESSAGE_ID,
  },
  attachmentIndex: {
    name: 'index', in: 'path', required: true, description: 'The attachment\'s `index` (0 for the first).',
    schema: { type: 'integer', minimum: 0 }, example: 0,
  },
  subject: query('subject', `${SUBSTRING} of the subject.`, { type: 'string' }, 'confirm'),
  from: query('from', `${SUBSTRING} of the sender as \`Name <address>\`.`, { type: 'string' }, 'acme.example'),
  to: query('to', `${SUBSTRING} of the To mailboxes (as \`Name <address>\`) and the inbox.`, { type: 'string' }),
  since: query(
    'since',
    'Only messages that arrived after this: a message id (exclusive) or an ISO 8601 time.',
    { type: 'string', examples: [EXAMPLE_MESSAGE_ID, '2026-03-14T09:00:00Z'] },
  ),
  limit: query('limit', 'At most this many messages, newest first.', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  timeout: query(
    'timeout',
    'How long to wait: seconds (`30`, `2.5`) or a duration (`500ms`, `10s`, `2m`). Default 30 s; capped by the server\'s `--wait-max` (default 120 s).',
    { type: 'string', default: '30', examples: ['30', '500ms', '2m'] },
    '10s',
  ),
  remote: query(
    'remote',
    '`1` loads remote images and styles. By default they are blocked, and their number is in the `X-Blocked-Remote-Content` header.',
    { type: 'string', enum: ['1'] },
  ),
  checkLocalPart: query('localPart', 'The name to check (the part before @).', { type: 'string' }, 'qa-signup'),
  checkDomain: query('domain', 'The domain; defaults to the default domain.', { type: 'string' }, 'ephemail.test'),
};

/** Error responses shared by several operations; each is a problem document. */
export const responses: Record<ResponseName, ResponseObject> = {
  BadRequest: {
    description: 'The address, a parameter or the body is invalid; `detail` says which and why.',
    content: problemContent({
      invalidAddress: exampleProblems.invalidAddress,
      invalidFilter: exampleProblems.invalidFilter,
      domainNotAccepted: exampleProblems.domainNotAccepted,
    }),
  },
  NotFound: {
    description: 'This inbox has no such message (it may have expired or been deleted), or no such part.',
    content: problemContent({ notFound: exampleProblems.notFound }),
  },
  RequestTimeout: {
    description: 'No matching message arrived in time. Nothing is wrong: call again to keep waiting.',
    content: problemContent({ timeout: exampleProblems.timeout }),
  },
  PayloadTooLarge: {
    description: 'The request body is over 16 KB.',
    content: problemContent({ tooLarge: exampleProblems.tooLarge }),
  },
  TooManyRequests: {
    description: 'This client is over its request budget (`--rate-limit`, `--rate-burst`), or, for the wait route, holds as many open waits as it may (`--max-waiters-per-client`).',
    headers: { 'Retry-After': retryAfter },
    content: problemContent({ tooMany: exampleProblems.tooMany }),
  },
  ServiceUnavailable: {
    description: 'The message store cannot be reached right now, or, for the wait route, the server holds as many open waits as it will (`--max-waiters`).',
    headers: { 'Retry-After': { ...retryAfter, description: 'Seconds to wait before trying again, when the server knows.' } },
    content: problemContent({ unavailable: exampleProblems.unavailable }),
  },
  Problem: {
    description: 'Any other error, such as a 500; the cause is logged on the server.',
    content: problemContent({ internal: exampleProblems.internal }),
  },
};
