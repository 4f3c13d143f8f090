import { readDuration } from '../../config/values.js';
import { isMessageId, messageIdTime } from '../../store/message-id.js';
import type { MessageSummary } from '../../mail/read/digest.js';
import { ApiProblem } from '../problem.js';

/** Which messages a list or a wait asks for. */
export interface MessageFilter {
  subject: string | null;
  from: string | null;
  to: string | null;
  /** Only messages after this message id or this time. */
  since: { id: string } | { time: number } | null;
}

/** Reads the filter query parameters shared by the list and wait routes. */
export function readFilter(query: (name: string) => string | undefined): MessageFilter {
  return {
    subject: lowerOrNull(query('subject')),
    from: lowerOrNull(query('from')),
    to: lowerOrNull(query('to')),
    since: readSince(query('since')),
  };
}

/**
 * The messages of `newestFirst` that pass the filter, newest first. With a
 * `since` id still in the list, "after it" means newer in the list; an id that
 * has left the inbox falls back to the time encoded at its start.
 */
export function applyFilter(newestFirst: MessageSummary[], filter: MessageFilter): MessageSummary[] {
  let candidates = newestFirst;
  const since = filter.since;
  if (since !== null && 'id' in since) {
    const position = newestFirst.findIndex((message) => message.id === since.id);
    candidates = position >= 0 ? newestFirst.slice(0, position) : newestFirst.filter((m) => m.receivedAt > messageIdTime(since.id));
  } else if (since !== null) {
    candidates = newestFirst.filter((message) => message.receivedAt > since.time);
  }
  return candidates.filter((message) => matches(message, filter));
}

/** Whether one message passes the subject, from and to filters (not `since`). */
function matches(message: MessageSummary, filter: MessageFilter): boolean {
  const has = (text: string, needle: string | null) => needle === null || text.toLowerCase().includes(needle);
  const from = message.from === null ? '' : `${message.from.name} <${message.from.address}>`;
  const to = message.to.map((mailbox) => `${mailbox.name} <${mailbox.address}>`).join(', ') + ` ${message.inbox}`;
  return has(message.subject, filter.subject) && has(from, filter.from) && has(to, filter.to);
}

/** `limit`: 1 to 200, default 50. */
export function readLimit(text: string | undefined): number {
  if (text === undefined) return 50;
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= 200)) throw new ApiProblem(400, 'Invalid limit', `limit must be a whole number from 1 to 200; "${text}" is not.`);
  return limit;
}

/** `timeout`: seconds as a number, or a duration such as 500ms, 10s, 2m; capped at `maxMs`. */
export function readTimeout(text: string | undefined, defaultMs: number, maxMs: number): number {
  if (text === undefined) return Math.min(defaultMs, maxMs);
  let ms: number;
  try {
    ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1_000 : readDuration(text);
  } catch {
    throw new ApiProblem(400, 'Invalid timeout', `timeout must be seconds (such as 30) or a duration (500ms, 10s, 2m); "${text}" is neither.`);
  }
  return Math.min(ms, maxMs);
}

function readSince(text: string | undefined): MessageFilter['since'] {
  if (text === undefined || text === '') return null;
  if (isMessageId(text)) return { id: text };
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new ApiProblem(400, 'Invalid since', `since must be a message id or an ISO time such as 2026-01-31T12:00:00Z; "${text}" is neither.`);
  }
  return { time };
}

function lowerOrNull(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text.toLowerCase();
}
