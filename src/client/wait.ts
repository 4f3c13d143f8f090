import type { ApiMessage, ApiMessageSummary } from '../http/api/types.js';
import { EphemailError, EphemailTimeoutError } from './errors.js';

/** What `waitForMessage` waits for. */
export interface WaitOptions {
  /** A case-insensitive substring (matched by the server) or a RegExp (matched here) of the subject. */
  subject?: string | RegExp;
  /** Like `subject`, for the sender; a RegExp is tried on the address and on `Name <address>`. */
  from?: string | RegExp;
  /** A case-insensitive substring of the To mailboxes or the inbox. */
  to?: string;
  /** Only messages that arrived after this message id or time. */
  since?: string | Date;
  /** Milliseconds to wait in all; default 30 000. */
  timeout?: number;
}

/** The server-side filters the wait and list routes share. */
export interface ServerFilters {
  subject?: string;
  from?: string;
  to?: string;
  since?: string;
}

/** What waiting needs from an inbox. */
export interface WaitSource {
  address: string;
  /** One long poll of the wait route; an `EphemailError` with status 408 when nothing came. */
  waitOnce(filters: ServerFilters, timeoutMs: number): Promise<ApiMessage>;
  list(filters: ServerFilters & { limit: number }): Promise<ApiMessageSummary[]>;
  /** One message, or null when it is gone. */
  get(id: string): Promise<ApiMessage | null>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// Shorter than any sensible --wait-max and any proxy's idle timeout; the loop resumes where it left off.
const LONG_POLL_MAX_MS = 60_000;
// The most a list returns, and the default --inbox-limit.
const LIST_LIMIT = 200;

/**
 * Waits for a message with long polls of the wait route until its own
 * deadline, never by polling the list. String filters go to the server.
 * RegExp filters are checked here; when the server hands back a message they
 * reject, everything after the last position seen is listed once and
 * checked, and the next long poll starts after the newest message listed,
 * so a matching message is found whenever it arrives.
 */
export async function waitForMessage(source: WaitSource, options: WaitOptions = {}): Promise<ApiMessage> {
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`waitForMessage: timeout must be milliseconds (0 or more), not ${timeoutMs}.`);
  const deadline = Date.now() + timeoutMs;
  const matches = localMatcher(options);
  const server: ServerFilters = {
    subject: typeof options.subject === 'string' ? options.subject : undefined,
    from: typeof options.from === 'string' ? options.from : undefined,
    to: options.to,
  };
  let since = options.since instanceof Date ? options.since.toISOString() : options.since;
  let lastWasGone = false;

  for (let remaining = timeoutMs; remaining > 0; remaining = deadline - Date.now()) {
    let found: ApiMessage;
    try {
      found = await source.waitOnce({ ...server, since }, Math.min(remaining, LONG_POLL_MAX_MS));
    } catch (error) {
      const delayMs = retryDelayMs(error, lastWasGone);
      lastWasGone = error instanceof EphemailError && error.status === 404;
      if (delayMs > 0) await pause(Math.min(delayMs, deadline - Date.now()));
      continue;
    }
    lastWasGone = false;
    if (matches(found)) return found;
    const later = await source.list({ ...server, since, limit: LIST_LIMIT });
    const hit = later.find(matches);
    const full = hit === undefined ? null : await source.get(hit.id);
    if (full !== null) return full;
    since = later[0]?.id ?? found.id;
  }
  const { subject, from, to } = options;
  throw new EphemailTimeoutError({ address: source.address, subject, from, to, since: options.since }, timeoutMs);
}

/**
 * How long to pause before the next long poll after `error`, or throws it.
 * A 408 is the normal end of a long poll. One 404 is a matching message that
 * vanished as it was returned; a second in a row is a real error (a server
 * without the route), thrown rather than retried until the deadline. A 429 or
 * 503 with Retry-After (too many waits open, store briefly away) is waited out.
 */
function retryDelayMs(error: unknown, previousWasGone: boolean): number {
  if (!(error instanceof EphemailError)) throw error;
  if (error.status === 408 || (error.status === 404 && !previousWasGone)) return 0;
  if ((error.status === 429 || error.status === 503) && error.retryAfterSeconds !== null) return Math.max(1, error.retryAfterSeconds) * 1_000;
  throw error;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function localMatcher({ subject, from }: WaitOptions): (message: ApiMessageSummary) => boolean {
  const subjectPattern = subject instanceof RegExp ? stateless(subject) : null;
  const fromPattern = from instanceof RegExp ? stateless(from) : null;
  return (message) => {
    if (subjectPattern !== null && !subjectPattern.test(message.subject)) return false;
    if (fromPattern === null) return true;
    const sender = message.from;
    return sender !== null && (fromPattern.test(sender.address) || fromPattern.test(`${sender.name} <${sender.address}>`));
  };
}

// Without g and y, test() keeps no lastIndex between calls.
function stateless(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}
