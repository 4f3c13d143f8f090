import { jsonContent, parameterRef, problemContent, responseRef } from './components.js';
import { exampleMessage, exampleProblems } from './examples.js';
import type { HeaderObject, PathItemObject } from './types.js';

const MESSAGE = '/api/inboxes/{address}/messages/{id}';
const params = [parameterRef('address'), parameterRef('messageId')];
const limits = { 429: responseRef('TooManyRequests'), 503: responseRef('ServiceUnavailable'), default: responseRef('Problem') };
const errors = { 400: responseRef('BadRequest'), 404: responseRef('NotFound'), ...limits };

const csp: HeaderObject = { description: 'Keeps the content inert: nothing in it can run.', schema: { type: 'string' } };
const download: HeaderObject = {
  description: '`attachment`, with the file name cleaned of path parts and control characters, in ASCII and RFC 5987 UTF-8.',
  schema: { type: 'string' },
};

/** One message: in full, as HTML, text or raw, its attachments, and deleting it. */
export const messagePaths: Record<string, PathItemObject> = {
  [MESSAGE]: {
    get: {
      operationId: 'getMessage', tags: ['Messages'], summary: 'Read a message',
      description: 'The message in full, with its likely verification `codes` and its `links` (the `action: true` link is the one to click).',
      parameters: params,
      responses: {
        200: { description: 'The message.', content: jsonContent('ApiMessage', { signup: { summary: 'A sign-up confirmation', value: exampleMessage } }) },
        ...errors,
      },
    },
    delete: {
      operationId: 'deleteMessage', tags: ['Messages'], summary: 'Delete a message',
      parameters: params,
      responses: { 204: { description: 'Deleted.' }, ...errors },
    },
  },
  [`${MESSAGE}/html`]: {
    get: {
      operationId: 'getMessageHtml', tags: ['Messages'], summary: 'The HTML, sanitised',
      description: 'A complete, sanitised HTML document for a sandboxed iframe: no script, forms or plugins; `cid:` images point at the attachment route; remote images and styles are blocked unless `remote=1`.',
      parameters: [...params, parameterRef('remote')],
      responses: {
        200: {
          description: 'The sanitised document.',
          headers: {
            'Content-Security-Policy': { description: 'A sandbox policy that allows no script; remote images only with `remote=1`.', schema: { type: 'string' } },
            'X-Blocked-Remote-Content': { description: 'How many remote images and styles were blocked.', schema: { type: 'integer', minimum: 0 } },
          },
          content: { 'text/html': { schema: { type: 'string' } } },
        },
        400: responseRef('BadRequest'),
        404: {
          description: 'No such message, or it has no HTML part.',
          content: problemContent({ notFound: exampleProblems.notFound, noHtml: exampleProblems.noHtml }),
        },
        ...limits,
      },
    },
  },
  [`${MESSAGE}/text`]: {
    get: {
      operationId: 'getMessageText', tags: ['Messages'], summary: 'The plain text',
      parameters: params,
      responses: {
        200: {
          description: 'The text (derived from the HTML when there is no text part).',
          headers: { 'Content-Security-Policy': csp },
          content: { 'text/plain': { schema: { type: 'string' }, examples: { signup: { summary: 'A sign-up confirmation', value: exampleMessage.text } } } },
        },
        ...errors,
      },
    },
  },
  [`${MESSAGE}/raw`]: {
    get: {
      operationId: 'getMessageRaw', tags: ['Messages'], summary: 'The raw message (.eml)',
      parameters: params,
      responses: {
        200: {
          description: 'The bytes exactly as received, as a download named `<id>.eml`.',
          headers: { 'Content-Disposition': download, 'Content-Security-Policy': csp },
          content: { 'message/rfc822': { schema: { type: 'string', contentMediaType: 'message/rfc822' } } },
        },
        ...errors,
      },
    },
  },
  [`${MESSAGE}/attachments/{index}`]: {
    get: {
      operationId: 'getAttachment', tags: ['Messages'], summary: 'Download an attachment',
      parameters: [...params, parameterRef('attachmentIndex')],
      responses: {
        200: {
          description: 'The decoded bytes, with the attachment\'s own media type (application/octet-stream when it is malformed), as a download.',
          headers: { 'Content-Disposition': download, 'Content-Security-Policy': csp },
          content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
        },
        ...errors,
      },
    },
  },
};
