import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MessageSummary } from '../../store/message.js';
import { messageIdTime } from '../../store/message-id.js';
import type { BlankEnv } from 'hono/types';
import type { ApiDependencies } from './dependencies.js';
import { addressParam, inboxFromParam } from './inbox-param.js';
import { applyFilter, filterQuery, timeoutQuery, type MessageFilter } from './message-filter.js';
import { ApiProblem } from '../problem.js';
import { messageSchema } from './schemas.js';
import { apiRouter, queryOf } from './validation.js';
import { toApiMessage } from './views.js';
import { fromStore, jsonContent, problemContent, responseRef } from '../openapi/components.js';
import { exampleMessage, exampleProblems } from '../openapi/examples.js';

const DEFAULT_WAIT_MS = 30_000;

const waitRoute = createRoute({
  method: 'get', path: '/inboxes/{address}/wait', operationId: 'waitForMessage', tags: ['Messages'], summary: 'Wait for a message (long poll)',
  description: 'Answers as soon as a matching message is there, with the message in full: no polling. Without `since`, the newest matching message already present, else the next to arrive. With `since`, only messages after it (the newest such one); pass the id of the last message you saw to wait for the next. On 408, call again.',
  request: { params: z.object({ address: addressParam }), query: queryOf({ ...filterQuery, timeout: timeoutQuery }) },
  responses: {
    200: { description: 'The matching message.', content: jsonContent(messageSchema, { signup: { summary: 'A sign-up confirmation', value: exampleMessage } }) },
    400: responseRef('BadRequest'),
    404: { description: 'The matching message was deleted or expired in the instant before it could be returned; wait again.', content: problemContent({ gone: exampleProblems.gone }) },
    408: responseRef('RequestTimeout'),
    ...fromStore,
  },
});

/**
 * Waiting for mail without polling. The waiter subscribes to the inbox
 * before it looks at what is already there, so a message arriving in between
 * is seen by one or the other, never missed.
 */
export function waitRoutes(deps: ApiDependencies): OpenAPIHono<BlankEnv> {
  const routes = apiRouter();

  routes.openapi(waitRoute, async (c) => {
    const inbox = inboxFromParam(c.req.valid('param').address, deps.domains);
    const { timeout, ...filter } = c.req.valid('query');
    const timeoutMs = Math.min(timeout ?? DEFAULT_WAIT_MS, deps.waitMaxMs);
    // Taken after the request is known to be valid, so a malformed one never holds a slot.
    const leave = deps.limits.waiters.enter(deps.limits.clientOf(c));
    const stopAwaiting = deps.awaited.enter(inbox);
    let summary: MessageSummary | 'timeout';
    try {
      summary = await waitForMatch(deps, inbox, filter, timeoutMs, c.req.raw.signal);
    } finally {
      stopAwaiting();
      leave();
    }
    if (summary === 'timeout') {
      throw new ApiProblem(408, 'No message yet', `No matching message reached ${inbox} within ${timeoutMs / 1_000} s; call again to keep waiting.`, { code: 'no_message_yet' });
    }
    const stored = await deps.store.get(inbox, summary.id);
    if (stored === undefined) {
      throw new ApiProblem(404, 'Message gone', 'The matching message was deleted or expired before it could be returned.', { code: 'message_gone' });
    }
    return c.json(toApiMessage(stored, await deps.reader.read(stored)), 200);
  });

  return routes;
}

function waitForMatch(
  deps: ApiDependencies, inbox: string, filter: MessageFilter, timeoutMs: number, abort: AbortSignal,
): Promise<MessageSummary | 'timeout'> {
  return new Promise((resolve, reject) => {
    const done = (result: MessageSummary | 'timeout') => {
      unsubscribe();
      cancelTimer();
      abort.removeEventListener('abort', onAbort);
      resolve(result);
    };
    // A client that hangs up frees its waiter at once.
    const onAbort = () => done('timeout');
    // A message announced from now on is later than the one a since=<id> names, even within the same
    // millisecond, which the time in the id alone cannot tell: only the id itself and older ones are out.
    const sinceId = filter.since !== null && 'id' in filter.since ? filter.since.id : null;
    const arrivalFilter: MessageFilter = sinceId === null ? filter : { ...filter, since: { time: messageIdTime(sinceId) - 1 } };
    const unsubscribe = deps.hub.subscribe(inbox, (event) => {
      if (event.type !== 'message' || event.message.id === sinceId) return;
      if (applyFilter([event.message], arrivalFilter).length > 0) done(event.message);
    });
    const cancelTimer = deps.clock.schedule(timeoutMs, () => done('timeout'));
    abort.addEventListener('abort', onAbort);
    if (abort.aborted) return done('timeout');
    deps.store.list(inbox).then((present) => {
      const [newest] = applyFilter(present, filter);
      if (newest !== undefined) done(newest);
    }, (error: unknown) => {
      unsubscribe();
      cancelTimer();
      abort.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}
