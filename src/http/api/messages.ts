import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { StoredMessage } from '../../store/message.js';
import type { RenderedHtml } from '../../worker/jobs.js';
import type { BlankEnv } from 'hono/types';
import type { ApiDependencies } from './dependencies.js';
import { attachmentDisposition, safeContentType } from './content-disposition.js';
import { addressParam, inboxFromParam } from './inbox-param.js';
import { loadMessage } from './message-load.js';
import { ApiProblem } from '../problem.js';
import { messageSchema } from './schemas.js';
import { apiRouter, noQuery, queryOf } from './validation.js';
import { safeHtmlCsp } from '../../sanitize/csp.js';
import { withinReadShare } from '../limits/read-limits.js';
import { messagePaths, toApiMessage } from './views.js';
import { fromStore, jsonContent, problemContent, responseRef } from '../openapi/components.js';
import { EXAMPLE_MESSAGE_ID, exampleMessage, exampleProblems } from '../openapi/examples.js';

// Whatever a message carries is shown as data, never run: no script, no plugins, no same origin.
// Nothing frames these (the page frames only /html), so nothing may: an HTML attachment is no clickjacking surface.
const INERT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/** The path of one message; its resources hang below it. */
export const MESSAGE = '/inboxes/{address}/messages/{id}';
const messageId = z.string().openapi({ param: { name: 'id', in: 'path', description: 'A message id from a list, a wait or an event.', example: EXAMPLE_MESSAGE_ID } });
/** The path parameters of every message route. */
export const messageParams = z.object({ address: addressParam, id: messageId });
const errors = { 400: responseRef('BadRequest'), 404: responseRef('NotFound'), ...fromStore };
const csp = { description: 'Keeps the content inert: nothing in it can run.', schema: { type: 'string' as const } };
const download = {
  description: '`attachment`, with the file name cleaned of path parts and control characters, in ASCII and RFC 5987 UTF-8.',
  schema: { type: 'string' as const },
};
// What the message routes share; those that take more than the path override `request`.
const common = { tags: ['Messages'], request: { params: messageParams, query: noQuery } };

const getRoute = createRoute({
  ...common, method: 'get', path: MESSAGE, operationId: 'getMessage', summary: 'Read a message',
  description: 'The message in full, with its likely verification `codes` and its `links` (the `action: true` link is the one to click).',
  responses: {
    200: { description: 'The message.', content: jsonContent(messageSchema, { signup: { summary: 'A sign-up confirmation', value: exampleMessage } }) },
    ...errors,
  },
});

const deleteRoute = createRoute({
  ...common, method: 'delete', path: MESSAGE, operationId: 'deleteMessage', summary: 'Delete a message',
  responses: { 204: { description: 'Deleted.' }, ...errors },
});

const htmlRoute = createRoute({
  ...common, method: 'get', path: `${MESSAGE}/html`, operationId: 'getMessageHtml', summary: 'The HTML, sanitised',
  description: 'A complete, sanitised HTML document for a sandboxed iframe: no script, forms or plugins; `cid:` images point at the attachment route; remote images and styles are blocked unless `remote=1`.',
  request: {
    params: messageParams,
    query: queryOf({
      remote: z.enum(['1'], { error: 'remote must be 1, to load remote images and styles, or left out.' }).optional().openapi({
        param: { description: '`1` loads remote images and styles. By default they are blocked, and their number is in the `X-Blocked-Remote-Content` header.' },
      }),
    }),
  },
  responses: {
    200: {
      description: 'The sanitised document.',
      headers: {
        'Content-Security-Policy': { description: 'A sandbox policy that allows no script; remote images only with `remote=1`.', schema: { type: 'string' } },
        'X-Blocked-Remote-Content': { description: 'How many remote images and styles were blocked.', schema: { type: 'integer', minimum: 0 } },
      },
      content: { 'text/html': { schema: z.string() } },
    },
    400: responseRef('BadRequest'),
    404: { description: 'No such message, or it has no HTML part.', content: problemContent({ notFound: exampleProblems.notFound, noHtml: exampleProblems.noHtml }) },
    ...fromStore,
  },
});

const textRoute = createRoute({
  ...common, method: 'get', path: `${MESSAGE}/text`, operationId: 'getMessageText', summary: 'The plain text',
  responses: {
    200: {
      description: 'The text (derived from the HTML when there is no text part, from its first 256 KiB).',
      headers: { 'Content-Security-Policy': csp },
      content: { 'text/plain': { schema: z.string(), examples: { signup: { summary: 'A sign-up confirmation', value: exampleMessage.text } } } },
    },
    ...errors,
  },
});

const rawRoute = createRoute({
  ...common, method: 'get', path: `${MESSAGE}/raw`, operationId: 'getMessageRaw', summary: 'The raw message (.eml)',
  responses: {
    200: {
      description: 'The bytes exactly as received, as a download named `<id>.eml`.',
      headers: { 'Content-Disposition': download, 'Content-Security-Policy': csp },
      content: { 'message/rfc822': { schema: { type: 'string', contentMediaType: 'message/rfc822' } } },
    },
    ...errors,
  },
});

const attachmentRoute = createRoute({
  ...common, method: 'get', path: `${MESSAGE}/attachments/{index}`, operationId: 'getAttachment', summary: 'Download an attachment',
  request: {
    // Any text, read by the handler: a number that names no attachment is a 404 that says how many there are.
    params: messageParams.extend({ index: z.string().openapi({ param: { description: 'The attachment\'s `index` (0 for the first).', example: 0 }, type: 'integer', minimum: 0 }) }),
    query: noQuery,
  },
  responses: {
    200: {
      description: 'The decoded bytes, with the attachment\'s own media type (application/octet-stream when it is malformed), as a download.',
      headers: { 'Content-Disposition': download, 'Content-Security-Policy': csp },
      content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
    },
    400: responseRef('BadRequest'),
    404: {
      description: 'No such message, or it has no attachment of that number.',
      content: problemContent({ notFound: exampleProblems.notFound, attachmentNotFound: exampleProblems.attachmentNotFound }),
    },
    ...fromStore,
  },
});

/** One message: in full, as HTML, text, raw, its attachments, and deleting it. */
export function messageRoutes(deps: ApiDependencies): OpenAPIHono<BlankEnv> {
  const routes = apiRouter();
  const { store, reader } = deps;

  const load = (c: Context) => loadMessage(deps, c);

  /** Parses (or finds parsed) and sanitises the message's HTML, for the document cache. */
  async function renderMessageHtml(stored: StoredMessage, allowRemote: boolean, signal: AbortSignal): Promise<RenderedHtml> {
    const { parsed } = await reader.read(stored, signal);
    if (parsed.html === null) {
      throw new ApiProblem(404, 'No HTML', 'This message has no HTML part; read its text instead.', { code: 'no_html' });
    }
    const paths = messagePaths(stored.head.inbox, stored.head.id);
    const contentIdUrls = parsed.attachments.flatMap((attachment, index): Array<[string, string]> =>
      attachment.contentId === null ? [] : [[attachment.contentId, paths.attachment(index)]]);
    return deps.renderHtml({ html: parsed.html, allowRemote, contentIdUrls }, signal);
  }

  routes.openapi(getRoute, async (c) => {
    const stored = await load(c);
    return c.json(toApiMessage(stored, await withinReadShare(deps.limits, c, (signal) => reader.read(stored, signal))), 200);
  });

  routes.openapi(htmlRoute, async (c) => {
    const stored = await load(c);
    const allowRemote = c.req.valid('query').remote === '1';
    const { document, blockedRemoteCount } = await withinReadShare(deps.limits, c, (signal) =>
      deps.documents.get(stored.head.id, allowRemote, (renderSignal) => renderMessageHtml(stored, allowRemote, renderSignal), signal));
    return c.body(viewOf(document), 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': safeHtmlCsp({ allowRemote }),
      'x-blocked-remote-content': String(blockedRemoteCount),
      'cache-control': 'private, no-store',
    });
  });

  routes.openapi(textRoute, async (c) => {
    const stored = await load(c);
    const { parsed } = await withinReadShare(deps.limits, c, (signal) => reader.read(stored, signal));
    return c.body(parsed.text, 200, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': INERT_CSP });
  });

  routes.openapi(rawRoute, async (c) => {
    const stored = await load(c);
    return c.body(viewOf(stored.raw), 200, {
      'content-type': 'message/rfc822',
      'content-disposition': attachmentDisposition(`${stored.head.id}.eml`, 'message.eml'),
      'content-security-policy': INERT_CSP,
    });
  });

  routes.openapi(attachmentRoute, async (c) => {
    const stored = await load(c);
    const { parsed } = await withinReadShare(deps.limits, c, (signal) => reader.read(stored, signal));
    const index = Number(c.req.valid('param').index);
    const attachment = Number.isInteger(index) ? parsed.attachments[index] : undefined;
    if (attachment === undefined) {
      throw new ApiProblem(404, 'Attachment not found', `This message has ${parsed.attachments.length} attachment(s), numbered from 0; there is no number "${c.req.valid('param').index}".`, { code: 'attachment_not_found' });
    }
    return c.body(viewOf(attachment.content), 200, {
      'content-type': safeContentType(attachment.contentType),
      'content-disposition': attachmentDisposition(attachment.filename, `attachment-${index}`),
      'content-security-policy': INERT_CSP,
      // Not cached: a deleted or expired message must take its attachments with it.
      'cache-control': 'private, no-store',
    });
  });

  routes.openapi(deleteRoute, async (c) => {
    const inbox = inboxFromParam(c.req.valid('param').address, deps.domains);
    if (!(await store.delete(inbox, c.req.valid('param').id))) {
      throw new ApiProblem(404, 'Message not found', 'This inbox has no message with that id; it may have expired or been deleted already.', { code: 'message_not_found' });
    }
    return c.body(null, 204);
  });

  return routes;
}

/** The bytes of a Buffer as a plain Uint8Array view, without copying them. */
function viewOf(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
}
