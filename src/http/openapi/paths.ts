import { jsonContent, parameterRef, problemContent, responseRef, retryAfter } from './components.js';
import {
  exampleChecks, exampleDeleted, exampleDomains, exampleEvents, exampleHealth, exampleInboxes, exampleList, exampleMessage, exampleProblems,
} from './examples.js';
import type { PathItemObject, ResponseObject } from './types.js';

const address = parameterRef('address');
const filters = [parameterRef('subject'), parameterRef('from'), parameterRef('to'), parameterRef('since')];
// Every request spends from the client's rate budget; routes that read the store may find it away.
const otherwise = { 429: responseRef('TooManyRequests'), default: responseRef('Problem') };
const fromStore = { 429: responseRef('TooManyRequests'), 503: responseRef('ServiceUnavailable'), default: responseRef('Problem') };

/** A refused WebSocket handshake: plain text, as it ends the connection. */
function refusal(description: string, headers: ResponseObject['headers'] = {}): ResponseObject {
  return { description, headers, content: { 'text/plain': { schema: { type: 'string' } } } };
}

/** Domains, inboxes, listing, waiting and live events. */
export const inboxPaths: Record<string, PathItemObject> = {
  '/api/domains': {
    get: {
      operationId: 'getDomains', tags: ['Inboxes'], summary: 'List the accepted domains',
      responses: { 200: { description: 'The domains.', content: jsonContent('ApiDomains', { default: { summary: 'Default settings', value: exampleDomains } }) }, ...otherwise },
    },
  },
  '/api/inboxes': {
    post: {
      operationId: 'createInbox', tags: ['Inboxes'], summary: 'Create an inbox',
      description: 'Without `localPart`, makes a random, unguessable address on the default domain (the usual choice for tests). With `localPart`, checks the chosen name and returns its normalised address; chosen names are public. Nothing is stored: an inbox exists as soon as mail is sent to it.',
      requestBody: {
        description: 'Optional; send nothing (or `{}`) for a random address.', required: false,
        content: jsonContent('ApiInboxRequest', {
          random: { summary: 'Random address', value: {} },
          chosen: { summary: 'Chosen name', value: { localPart: 'qa-signup', domain: 'ephemail.test' } },
        }),
      },
      responses: {
        201: {
          description: 'The inbox.',
          content: jsonContent('ApiInbox', {
            random: { summary: 'Random address', value: exampleInboxes.random },
            chosen: { summary: 'Chosen name', value: exampleInboxes.chosen },
          }),
        },
        400: {
          description: 'The name is invalid, the domain is not accepted, or the body is not a JSON object.',
          content: problemContent({ invalidName: exampleProblems.invalidName, domainNotAccepted: exampleProblems.domainNotAccepted }),
        },
        413: responseRef('PayloadTooLarge'),
        ...otherwise,
      },
    },
  },
  '/api/addresses/check': {
    get: {
      operationId: 'checkAddress', tags: ['Inboxes'], summary: 'Check a chosen name',
      description: 'Live validation for a form: never an error for a bad name, but `valid: false` with a reason.',
      parameters: [parameterRef('checkLocalPart'), parameterRef('checkDomain')],
      responses: {
        200: {
          description: 'Whether the name would be accepted.',
          content: jsonContent('ApiAddressCheck', {
            valid: { summary: 'Valid', value: exampleChecks.valid },
            invalid: { summary: 'Invalid', value: exampleChecks.invalid },
          }),
        },
        ...otherwise,
      },
    },
  },
  '/api/inboxes/{address}': {
    delete: {
      operationId: 'emptyInbox', tags: ['Inboxes'], summary: 'Empty an inbox',
      description: 'Deletes every message of the inbox. Live subscribers get a `deleted` event for each.',
      parameters: [address],
      responses: {
        200: { description: 'How many messages were deleted.', content: jsonContent('ApiDeleted', { deleted: { summary: 'Three messages', value: exampleDeleted } }) },
        400: responseRef('BadRequest'),
        ...fromStore,
      },
    },
  },
  '/api/inboxes/{address}/messages': {
    get: {
      operationId: 'listMessages', tags: ['Messages'], summary: 'List messages',
      description: 'The messages of an inbox that pass every given filter, newest first. An inbox nobody has written to is simply empty.',
      parameters: [address, ...filters, parameterRef('limit')],
      responses: {
        200: { description: 'The messages.', content: jsonContent('ApiMessageList', { one: { summary: 'One message', value: exampleList } }) },
        400: responseRef('BadRequest'),
        ...fromStore,
      },
    },
  },
  '/api/inboxes/{address}/wait': {
    get: {
      operationId: 'waitForMessage', tags: ['Messages'], summary: 'Wait for a message (long poll)',
      description: 'Answers as soon as a matching message is there, with the message in full: no polling. Without `since`, the newest matching message already present, else the next to arrive. With `since`, only messages after it (the newest such one); pass the id of the last message you saw to wait for the next. On 408, call again.',
      parameters: [address, ...filters, parameterRef('timeout')],
      responses: {
        200: { description: 'The matching message.', content: jsonContent('ApiMessage', { signup: { summary: 'A sign-up confirmation', value: exampleMessage } }) },
        400: responseRef('BadRequest'),
        404: { description: 'The matching message was deleted or expired in the instant before it could be returned; wait again.', content: problemContent({ gone: exampleProblems.gone }) },
        408: responseRef('RequestTimeout'),
        ...fromStore,
      },
    },
  },
  '/api/inboxes/{address}/events': {
    get: {
      operationId: 'subscribeEvents', tags: ['Live'], summary: 'Live events (WebSocket)',
      description: 'Upgrade to a WebSocket (`Connection: Upgrade`, `Upgrade: websocket`). The server sends JSON text frames (schema `ApiEvent`): first `{"type":"hello","address","messages":[summaries]}`, then `{"type":"message","message":summary}` for each arrival and `{"type":"deleted"|"expired"|"evicted","id"}` when one leaves. The client sends nothing. Only a handshake is answered here; a refusal is plain text, since it ends the connection.',
      parameters: [address],
      responses: {
        101: {
          description: `Switching to WebSocket. Frames, in JSON: ${JSON.stringify(exampleEvents.hello)}, then e.g. ${JSON.stringify({ type: 'message', message: { id: exampleMessage.id, subject: exampleMessage.subject, '…': '…' } })} and ${JSON.stringify(exampleEvents.removed)}.`,
        },
        400: refusal('The address is invalid or its domain is not accepted; the body says why.'),
        403: refusal('The page\'s Origin is not one of the server\'s public origins (`--public-url`); requests without an Origin (test runners) are always let in.'),
        429: refusal('This client is over its request budget.', { 'Retry-After': retryAfter }),
        503: refusal('The server is shutting down; reconnect in a moment.'),
        default: responseRef('Problem'),
      },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApi', tags: ['Reference'], summary: 'This OpenAPI document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } }, ...otherwise },
    },
  },
  '/api/docs': {
    get: {
      operationId: 'getDocs', tags: ['Reference'], summary: 'The API reference page',
      responses: { 200: { description: 'This document as a page.', content: { 'text/html': { schema: { type: 'string' } } } }, ...otherwise },
    },
  },
  '/healthz': {
    get: {
      operationId: 'getHealth', tags: ['Operations'], summary: 'Health check',
      responses: {
        200: { description: 'Up, and the store answers.', content: jsonContent('ApiHealth', { ok: { summary: 'Healthy', value: exampleHealth } }) },
        ...fromStore,
      },
    },
  },
  '/metrics': {
    get: {
      operationId: 'getMetrics', tags: ['Operations'], summary: 'Prometheus metrics',
      responses: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } }, ...otherwise },
    },
  },
};

