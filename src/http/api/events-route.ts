import { createRoute, z } from '@hono/zod-openapi';
import { addressParam } from './inbox-param.js';
import { responseRef, retryAfter } from '../openapi/components.js';
import { exampleEvents, exampleMessage } from '../openapi/examples.js';

/** A refused WebSocket handshake: plain text, as it ends the connection. */
function refusal(description: string, headers: Record<string, typeof retryAfter> = {}) {
  return { description, headers, content: { 'text/plain': { schema: z.string() } } };
}

const helloFrame = JSON.stringify(exampleEvents.hello);
const messageFrame = JSON.stringify({ type: 'message', message: { id: exampleMessage.id, subject: exampleMessage.subject, '…': '…' } });
const removedFrame = JSON.stringify(exampleEvents.removed);

/**
 * The live events socket, for the document only: it is answered on
 * the server's upgrade path (src/http/events/sockets.ts), which hono never sees.
 */
export const eventsRoute = createRoute({
  method: 'get', path: '/inboxes/{address}/events', operationId: 'subscribeEvents', tags: ['Live'], summary: 'Live events (WebSocket)',
  description: 'Upgrade to a WebSocket (`Connection: Upgrade`, `Upgrade: websocket`). The server sends JSON text frames (schema `ApiEvent`): first `{"type":"hello","address","messages":[summaries],"more"}` with the newest 200 messages at most (`more` says whether the inbox holds older ones), then `{"type":"message","message":summary}` for each arrival and `{"type":"deleted"|"expired"|"evicted","id"}` when one leaves. The client sends nothing. Only a handshake is answered here; a refusal is plain text, since it ends the connection.',
  request: { params: z.object({ address: addressParam }) },
  responses: {
    101: { description: `Switching to WebSocket. Frames, in JSON: ${helloFrame}, then e.g. ${messageFrame} and ${removedFrame}.` },
    400: refusal('The address is invalid or its domain is not accepted; the body says why.'),
    403: refusal('The page\'s Origin is not one of the server\'s public origins (`--public-url`); requests without an Origin (test runners) are always let in.'),
    429: refusal('This client is over its request budget (`--rate-limit`), or holds as many live event sockets as it may (`--ws-max-per-client`).', { 'Retry-After': retryAfter }),
    503: refusal('The server is shutting down; reconnect in a moment.'),
    default: responseRef('Problem'),
  },
});
