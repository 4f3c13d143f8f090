import type { Hono } from 'hono';
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import {
  HTTP_METHODS, isReference,
  type OpenApiDocument, type OperationObject, type Reference, type ResponseObject, type SchemaObject,
} from '../../src/http/openapi/types.js';

/**
 * What the OpenAPI tests check documents and responses with: the served and
 * documented operations, a small JSON Schema conformance check, and a
 * realistic sign-up mail.
 */

/** Hono's `/x/:id` or `/x/:id{[0-9]+}` as OpenAPI's `/x/{id}`. */
function toOpenApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?\??/g, '{$1}');
}

/** `METHOD /path` of every handler a hono app has under /api, /healthz and /metrics; middleware is left out. */
export function servedOperations(app: Hono): string[] {
  const served = app.routes
    .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
    .map((route) => `${route.method} ${toOpenApiPath(route.path)}`)
    .filter((operation) => /^\S+ (\/api\/|\/healthz$|\/readyz$|\/metrics$)/.test(operation));
  return [...new Set(served)].sort();
}

/**
 * `METHOD /path` of every plain HTTP operation in the document. WebSocket
 * operations (answered 101) are served on the server's upgrade path, which
 * hono never sees; a real socket checks them below.
 */
export function documentedOperations(doc: OpenApiDocument): string[] {
  return eachOperation(doc).filter(({ operation }) => !('101' in operation.responses))
    .map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
}

export function eachOperation(doc: OpenApiDocument): Array<{ method: string; path: string; operation: OperationObject }> {
  return Object.entries(doc.paths).flatMap(([path, item]) => HTTP_METHODS.flatMap((method) => {
    const operation = item[method];
    return operation === undefined ? [] : [{ method, path, operation }];
  }));
}

/** What a JSON pointer such as `#/components/schemas/ApiInbox` names, or undefined. */
export function resolvePointer(doc: OpenApiDocument, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const part of pointer.slice(2).split('/')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node;
}

export function deref<T extends object>(doc: OpenApiDocument, value: T | Reference): T {
  return isReference(value) ? resolvePointer(doc, value.$ref) as T : value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

/**
 * Where `value` departs from `schema`, as sentences; empty when it conforms.
 * Stricter than JSON Schema on purpose: a key the schema does not list is
 * reported, so the document cannot fall behind the real responses.
 */
export function conformance(doc: OpenApiDocument, value: unknown, schema: SchemaObject, at = '$'): string[] {
  const errors: string[] = [];
  if (schema.$ref !== undefined) errors.push(...conformance(doc, value, resolvePointer(doc, schema.$ref) as SchemaObject, at));
  if (schema.oneOf !== undefined) {
    const matching = schema.oneOf.filter((option) => conformance(doc, value, option, at).length === 0).length;
    if (matching !== 1) errors.push(`${at} matches ${matching} of oneOf, not exactly 1`);
  }
  if (schema.anyOf !== undefined && !schema.anyOf.some((option) => conformance(doc, value, option, at).length === 0)) {
    errors.push(`${at} matches none of anyOf`);
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length > 0 && !types.some((type) => hasType(value, type))) return [...errors, `${at} is ${JSON.stringify(value)}, not ${types.join(' or ')}`];
  if (schema.const !== undefined && value !== schema.const) errors.push(`${at} is not ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !schema.enum.includes(value as string)) errors.push(`${at} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) errors.push(`${at} is below ${schema.minimum}`);
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`${at} does not match ${schema.pattern}`);
  if (typeof value === 'string' && schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${at} is not a date-time`);
  if (Array.isArray(value) && schema.items !== undefined) value.forEach((item, i) => errors.push(...conformance(doc, item, schema.items as SchemaObject, `${at}[${i}]`)));
  if (hasType(value, 'object') && schema.properties !== undefined) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}.${key} is required but missing`);
    for (const [key, inner] of Object.entries(object)) {
      const property = schema.properties[key];
      if (property === undefined) errors.push(`${at}.${key} is in the response but not documented`);
      else errors.push(...conformance(doc, inner, property, `${at}.${key}`));
    }
  }
  return errors;
}

/**
 * Checks a real response against the document: its status is documented for
 * the operation, its media type is one the document names, and a JSON body
 * conforms to the schema. Resolves to the parsed body (text for non-JSON).
 */
export async function expectDocumented(doc: OpenApiDocument, method: string, template: string, response: Response): Promise<unknown> {
  const operation = doc.paths[template]?.[method as 'get'];
  expect(operation, `${method.toUpperCase()} ${template} is documented`).toBeDefined();
  // `default` stands for unexpected server errors only; every status a route means to send is listed.
  const documented = operation?.responses[String(response.status)] ?? (response.status >= 500 ? operation?.responses.default : undefined);
  expect(documented, `status ${response.status} of ${method.toUpperCase()} ${template} is documented`).toBeDefined();
  const content = deref<ResponseObject>(doc, documented as ResponseObject).content ?? {};
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (mediaType === '') {
    expect(Object.keys(content), `${response.status} of ${template} has no body`).toEqual([]);
    return null;
  }
  const media = content[mediaType] ?? content['*/*'];
  expect(media, `${mediaType} for ${response.status} of ${method.toUpperCase()} ${template}`).toBeDefined();
  if (!mediaType.endsWith('json')) return response.text();
  const body: unknown = await response.json();
  expect(conformance(doc, body, media?.schema ?? {}), `${response.status} of ${method.toUpperCase()} ${template}`).toEqual([]);
  return body;
}

/** A realistic sign-up mail with a code, an action link and an attachment, as nodemailer writes it. */
export async function signupMail(to: string): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await composer.sendMail({
    from: 'Acme <no-reply@acme.example>', to, subject: 'Confirm your Acme account',
    text: 'Your confirmation code is 482913.\nVerify: https://app.acme.example/verify?token=abc123',
    html: '<p>Your confirmation code is <b>482913</b>.</p><p><a href="https://app.acme.example/verify?token=abc123">Verify my email address</a></p>',
    attachments: [{ filename: 'terms.txt', content: 'Be nice.' }],
  });
  if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer was asked for a buffer');
  return info.message;
}
