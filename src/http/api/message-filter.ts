import { z } from '@hono/zod-openapi';
import { readWaitTime } from '../../config/values.js';
import { isMessageId, messageIdTime } from '../../store/message-id.js';
import type { MessageSummary } from '../../mail/read/digest.js';
import type { MessageHead } from '../../store/store.js';
import { EXAMPLE_MESSAGE_ID } from '../openapi/examples.js';

/** A place in an inbox: a message id, or a time. */
export type InboxPosition = { id: string } | { time: number };

/** Which messages a list or a wait asks for. */
export interface MessageFilter {
  subject: string | null;
  from: string | null;
  to: string | null;
  /** Only messages after this message id or this time. */
  since: InboxPosition | null;
}

/**
 * The most messages one listing carries, and a hello frame too: with every
 * summary at most SUMMARY_MAX_JSON_BYTES, this bounds both in bytes whatever
 * `--inbox-limit` is.
 */
export const LIST_MAX_MESSAGES = 200;

const SUBSTRING = 'Case-insensitive substring';
const DEFAULT_LIMIT = 50;

/** A failed parse of one parameter: `message` becomes the problem's detail. */
function refuse(ctx: z.core.$RefinementCtx, text: string, message: string): never {
  ctx.issues.push({ code: 'custom', input: text, message });
  return z.NEVER;
}

const substring = (description: string, example?: string) => z.string()
  .transform((text) => (text === '' ? null : text.toLowerCase()))
  .optional().transform((value) => value ?? null)
  .openapi({ param: example === undefined ? { description } : { description, example } });

// `since` and `before`: a message id or an ISO time, read into an InboxPosition.
const positionQuery = (name: string, description: string) => z.string().transform((text, ctx): InboxPosition | null => {
  if (text === '') return null;
  if (isMessageId(text)) return { id: text };
  const time = Date.parse(text);
  if (Number.isNaN(time)) return refuse(ctx, text, `${name} must be a message id or an ISO time such as 2026-01-31T12:00:00Z; "${text}" is neither.`);
  return { time };
}).optional().transform((value) => value ?? null).openapi({
  param: { description }, type: 'string', examples: [EXAMPLE_MESSAGE_ID, '2026-03-14T09:00:00Z'],
});

/**
 * The filter query parameters shared by the list and wait routes; each reads
 * into its `MessageFilter` field, so `{ subject, from, to, since }` of a
 * validated query is the filter.
 */
export const filterQuery = {
  subject: substring(`${SUBSTRING} of the subject.`, 'confirm'),
  from: substring(`${SUBSTRING} of the sender as \`Name <address>\`.`, 'acme.example'),
  to: substring(`${SUBSTRING} of the To mailboxes the summary shows (as \`Name <address>\`) and the inbox.`),
  since: positionQuery('since', 'Only messages that arrived after this: a message id (exclusive) or an ISO 8601 time.'),
};

/** `before`, the list route's cursor for paging back. */
export const beforeQuery = positionQuery('before', 'Only messages that arrived before this: a message id (exclusive) or an ISO 8601 time. '
  + 'To page back through an inbox, pass the id of the last (oldest) message of the previous page.');

/** `limit`: 1 to 200, default 50. */
export const limitQuery = z.string().transform((text, ctx) => {
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= LIST_MAX_MESSAGES)) return refuse(ctx, text, `limit must be a whole number from 1 to ${LIST_MAX_MESSAGES}; "${text}" is not.`);
  return limit;
}).optional().transform((limit) => limit ?? DEFAULT_LIMIT).openapi({
  param: { description: 'At most this many messages, newest first.' },
  type: 'integer', minimum: 1, maximum: LIST_MAX_MESSAGES, default: DEFAULT_LIMIT,
});

/**
 * `timeout`: seconds as a number, or a duration such as 500ms, 10s, 2m, in
 * milliseconds; undefined when not given. The route applies its default and
 * the server's cap, which are configuration.
 */
export const timeoutQuery = z.string().transform((text, ctx) => {
  try {
    return readWaitTime(text);
  } catch {
    return refuse(ctx, text, `timeout must be seconds (such as 30) or a duration (500ms, 10s, 2m); "${text}" is neither.`);
  }
}).optional().openapi({
  param: {
    description: 'How long to wait: seconds (`30`, `2.5`) or a duration (`500ms`, `10s`, `2m`). Default 30 s; capped by the server\'s `--wait-max` (default 120 s).',
    example: '10s',
  },
  type: 'string', default: '30', examples: ['30', '500ms', '2m'],
});

/**
 * The messages of `newestFirst` after `since`, newest first: heads or
 * summaries alike, as only ids and times are read. With a `since` id still in
 * the list, "after it" means newer in the list; an id that has left the inbox
 * falls back to the time encoded at its start.
 */
export function afterSince<T extends MessageHead>(newestFirst: T[], since: MessageFilter['since']): T[] {
  if (since === null) return newestFirst;
  if ('id' in since) {
    const position = newestFirst.findIndex((message) => message.id === since.id);
    return position >= 0 ? newestFirst.slice(0, position) : newestFirst.filter((m) => m.receivedAt > messageIdTime(since.id));
  }
  return newestFirst.filter((message) => message.receivedAt > since.time);
}

/**
 * The messages of `newestFirst` before `before`, newest first. With a
 * `before` id still in the list, "before it" means older in the list; an id
 * that has left the inbox (the oldest mail expires first) falls back to the
 * time encoded at its start, and messages of that same millisecond are
 * listed again rather than missed.
 */
export function olderThan<T extends MessageHead>(newestFirst: T[], before: InboxPosition | null): T[] {
  if (before === null) return newestFirst;
  if ('id' in before) {
    const position = newestFirst.findIndex((message) => message.id === before.id);
    return position >= 0 ? newestFirst.slice(position + 1) : newestFirst.filter((m) => m.receivedAt <= messageIdTime(before.id));
  }
  return newestFirst.filter((message) => message.receivedAt < before.time);
}

/** Whether one message passes the subject, from and to filters (not `since`). */
export function matches(message: MessageSummary, filter: MessageFilter): boolean {
  const has = (text: string, needle: string | null) => needle === null || text.toLowerCase().includes(needle);
  const from = message.from === null ? '' : `${message.from.name} <${message.from.address}>`;
  const to = message.to.map((mailbox) => `${mailbox.name} <${mailbox.address}>`).join(', ') + ` ${message.inbox}`;
  return has(message.subject, filter.subject) && has(from, filter.from) && has(to, filter.to);
}
