import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiProblem } from '../problem.js';
import { inboxRequestSchema } from './schemas.js';
import type { ApiInboxRequest } from './types.js';
import { invalidRequest } from './validation.js';

const MAX_BODY_BYTES = 16 * 1024;

/** What `readInboxRequest` leaves for the handler. */
export interface InboxRequestEnv {
  Variables: { inboxRequest: ApiInboxRequest };
}

/**
 * The optional body of `POST /api/inboxes`, checked against its schema and
 * left as `c.get('inboxRequest')`. Read here rather than by the route's own
 * JSON validator because that one would refuse what clients send today: an
 * empty body, or JSON without a JSON content type (`curl -d`).
 */
const readBody: MiddlewareHandler<InboxRequestEnv> = async (c, next) => {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiProblem(400, 'Invalid JSON', 'The request body is not valid JSON; send {"localPart": "name"} or nothing.', { code: 'invalid_body' });
    }
  }
  const result = inboxRequestSchema.safeParse(body);
  if (!result.success) throw invalidRequest(result.error, 'json');
  c.set('inboxRequest', result.data);
  await next();
};

// Closing the connection spares Node reading the rest of the body just to reuse it.
const tooLarge = () => new ApiProblem(413, 'Payload Too Large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB; an inbox request needs only a name and a domain.`, {
  code: 'payload_too_large', headers: { connection: 'close' },
});

/** The route middleware of `POST /api/inboxes`: a 16 KB cap, then the body as above. */
export const readInboxRequest: [MiddlewareHandler, MiddlewareHandler<InboxRequestEnv>] = [
  bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw tooLarge(); } }),
  readBody,
];
