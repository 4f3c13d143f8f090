import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MessageHead } from '../../store/message.js';
import { messageIdTime } from '../../store/message-id.js';
import type { BlankEnv } from 'hono/types';
import type { ApiDependencies } from './dependencies.js';
import { addressParam, inboxFromParam } from './inbox-param.js';
import { afterSince, filterQuery, matches, timeoutQuery, type MessageFilter } from './message-filter.js';
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
    const leave = await deps.limits.waiters.enter(deps.limits.clientOf(c));
    let found: MessageHead | 'timeout';
    try {
      found = await waitForMatch(deps, inbox, filter, timeoutMs, c.req.raw.signal);
    } finally {
      leave();
    }
    if (found === 'timeout') {
      throw new ApiProblem(408, 'No message yet', `No matching message reached ${inbox} within ${timeoutMs / 1_000} s; call again to keep waiting.`, { code: 'no_message_yet' });
    }
    const stored = await deps.store.get(inbox, found.id);
    if (stored === undefined) {
      throw new ApiProblem(404, 'Message gone', 'The matching message was deleted or expired before it could be returned.', { code: 'message_gone' });
    }
    return c.json(toApiMessage(stored, await deps.reader.read(stored, c.req.raw.signal)), 200);
  });

  return routes;
}

function waitForMatch(
  deps: ApiDependencies, inbox: string, filter: MessageFilter, timeoutMs: number, abort: AbortSignal,
): Promise<MessageHead | 'timeout'> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = () => {
      settled = true;
      unsubscribe();
      cancelTimer();
      abort.removeEventListener('abort', onAbort);
    };
    const done = (result: MessageHead | 'timeout') => {
      if (settled) return;
      finish();
      resolve(result);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      finish();
      reject(error);
    };
    // A client that hangs up frees its waiter at once.
    const onAbort = () => done('timeout');
    // A message announced from now on is later than the one a since=<id> names, even within the same
    // millisecond, which the time in the id alone cannot tell: only the id itself and older ones are out.
    const sinceId = filter.since !== null && 'id' in filter.since ? filter.since.id : null;
    const arrivalFilter: MessageFilter = sinceId === null ? filter : { ...filter, since: { time: messageIdTime(sinceId) - 1 } };
    // Arrivals are checked one at a time, in the order they came, so the first match wins.
    let checked: Promise<void> = Promise.resolve();
    const unsubscribe = deps.hub.subscribe(inbox, (event) => {
      if (event.type !== 'message' || event.message.id === sinceId) return;
      const head = event.message;
      checked = checked.then(async () => {
        if (!settled && await arrivalMatches(deps, head, arrivalFilter, abort)) done(head);
      }).catch(fail);
    });
    const cancelTimer = deps.clock.schedule(timeoutMs, () => done('timeout'));
    abort.addEventListener('abort', onAbort);
    if (abort.aborted) return done('timeout');
    deps.store.list(inbox)
      .then((heads) => deps.summaries.select(afterSince(heads, filter.since), (summary) => matches(summary, filter), 1, abort))
      .then(([newest]) => {
        if (newest !== undefined) done(newest);
      }, fail);
  });
}

/**
 * Whether a message just announced matches. The answer is the message in
 * full, so its full parse starts here, and its digest is taken from that
 * parse: one trip to a parse worker instead of two in a row.
 */
async function arrivalMatches(deps: ApiDependencies, head: MessageHead, filter: MessageFilter, abort: AbortSignal): Promise<boolean> {
  const stored = await deps.store.get(head.inbox, head.id);
  if (stored === undefined) return false;
  // Started first, so the summary finds it under way; the route's answer then finds it cached.
  // Its failures surface in the reads that follow; a waiter that hangs up lets go of it here.
  deps.reader.read(stored, abort).catch(() => {});
  const summary = await deps.summaries.read(stored);
  if (summary === undefined) return false;
  return afterSince([summary], filter.since).length > 0 && matches(summary, filter);
}
