import type { Context } from 'hono';
import type { StoredMessage } from '../../store/message.js';
import { ApiProblem } from '../problem.js';
import type { ApiDependencies } from './dependencies.js';
import { inboxFromParam } from './inbox-param.js';

/** The message a `/inboxes/{address}/messages/{id}…` route names, or a 404 problem. */
export async function loadMessage(deps: Pick<ApiDependencies, 'store' | 'domains'>, c: Context): Promise<StoredMessage> {
  const inbox = inboxFromParam(c.req.param('address') ?? '', deps.domains);
  const stored = await deps.store.get(inbox, c.req.param('id') ?? '');
  if (stored === undefined) {
    throw new ApiProblem(404, 'Message not found', 'This inbox has no message with that id; it may have expired or been deleted.', { code: 'message_not_found' });
  }
  return stored;
}
