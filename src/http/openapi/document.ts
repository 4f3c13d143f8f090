import type { OpenAPIHono } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { OpenApiDocument } from './types.js';
import { packageVersion } from '../../runtime/package-version.js';

const DESCRIPTION = `Ephemail is a disposable inbox service: an SMTP server that takes mail for any address at its domains, keeps it in memory for a while, and shows it through this API, a live web inbox and a WebSocket stream.

**No accounts, no passwords: the address is the key.** Whoever knows an address can read, wait on and delete its mail. So:

- A **random address** (\`POST /api/inboxes\` with no name) is three groups of six characters from a 31-letter alphabet, about 89 bits drawn from the system's cryptographic generator: nobody will guess it. Use these in tests.
- A **chosen name** (\`{"localPart": "..."}\`) is **public**, as on Mailinator: anyone who types the same name reads the same inbox. Never use one for anything private.

Messages expire after the server's TTL (\`ttlSeconds\` on the inbox); reading never extends it. \`name+tag@domain\` is delivered to \`name@domain\`, with \`tag\` on the message, and addresses are case-insensitive.

**Wait for mail without polling:** \`GET /api/inboxes/{address}/wait\` answers the moment a matching message is there (filter by subject, sender, recipient, and \`since\` a message id or time), or 408 after the timeout, when you simply call again. For a live view, \`GET /api/inboxes/{address}/events\` is a WebSocket that pushes each arrival.

**Codes and links:** every message lists likely verification codes (\`codes\`, most likely first) and its web links (\`links\`), with the one most likely to verify, confirm or sign in marked \`action: true\`, so a test can read a code or follow a link without parsing HTML.

Every error is an RFC 9457 problem document (\`application/problem+json\`) whose \`detail\` says what went wrong and what to do, and whose \`code\` names the kind of error for programs (\`unknown_parameter\`, \`no_message_yet\`, …). A query parameter or body field that a route does not take is refused with 400, never ignored, so a misspelt filter cannot answer with the wrong mail. Each client has a request budget, and a number of connections, waits for mail and message reads it may hold open at once; past any of them the answer is 429 with \`Retry-After\`.`;

const INFO: OpenApiDocument['info'] = {
  title: 'Ephemail API',
  version: packageVersion(),
  summary: 'Disposable temporary inboxes for people and test suites.',
  description: DESCRIPTION,
  license: { name: 'MIT', identifier: 'MIT' },
};

const TAGS: OpenApiDocument['tags'] = [
  { name: 'Inboxes', description: 'Domains, creating inboxes, checking names, emptying.' },
  { name: 'Messages', description: 'Listing, waiting for, reading and deleting mail.' },
  { name: 'Live', description: 'The WebSocket event stream.' },
  { name: 'Reference', description: 'This document and its page.' },
  { name: 'Operations', description: 'Health and metrics, outside /api.' },
];

/**
 * The OpenAPI 3.1 description of the routes `app` serves, generated from
 * their definitions; served at `/api/openapi.json` and rendered at
 * `/api/docs`. `serverUrl`, when given, becomes the only server; otherwise
 * paths resolve against wherever the document was fetched.
 */
export function openApiDocument(app: OpenAPIHono<BlankEnv>, serverUrl?: string): OpenApiDocument {
  // Only paths and components come from the routes; the rest is ours, typed as OpenAPI 3.1 (the generator's own
  // configuration type is 3.0's, without `summary` and `identifier`).
  const { paths, components } = app.getOpenAPI31Document({ openapi: '3.1.0', info: INFO });
  const document = {
    openapi: '3.1.0' as const,
    info: INFO,
    ...(serverUrl === undefined ? {} : { servers: [{ url: serverUrl, description: 'This server' }] }),
    tags: TAGS,
    // The generated part, read as the model of types.ts: the part of OpenAPI 3.1 that these route definitions use.
    paths: paths as OpenApiDocument['paths'],
    components: { ...components, schemas: sortedByName(components?.schemas ?? {}) } as OpenApiDocument['components'],
  };
  // A copy: the generated document shares the definitions' example objects, and a caller may change what it gets.
  return structuredClone(document);
}

// The generator lists schemas in the order it meets them; a reference reads (and diffs) better in a fixed one.
function sortedByName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
