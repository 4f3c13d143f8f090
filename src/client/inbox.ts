import type { ApiMessage, ApiMessageSummary, ApiReport } from '../http/api/types.js';
import { EphemailError } from './errors.js';
import { readJson, type Send } from './request.js';
import { waitForMessage, type WaitOptions } from './wait.js';

/** Filters of `Inbox.messages`; every one given must match. */
export interface MessageFilters {
  /** Case-insensitive substring of the subject. */
  subject?: string;
  /** Case-insensitive substring of the sender as `Name <address>`. */
  from?: string;
  /** Case-insensitive substring of the To mailboxes or the inbox. */
  to?: string;
  /** Only messages that arrived after this message id or time. */
  since?: string | Date;
  /** Only messages that arrived before this message id or time: pass the id of the last message of a page for the next page. */
  before?: string | Date;
  /** At most this many (1 to 200; the server's default is 50). Fewer come back only on the last page. */
  limit?: number;
}

/** One inbox. Nothing is created on the server: the address is the key. */
export interface Inbox {
  /** The address as given, or as the server normalised it for a created inbox. */
  readonly address: string;
  /** Messages passing the filters, newest first: one page of at most `limit` (see `before` for the next). */
  messages(filters?: MessageFilters): Promise<ApiMessageSummary[]>;
  /** One message in full; an `EphemailError` with status 404 when there is none. */
  message(id: string): Promise<ApiMessage>;
  /**
   * Resolves with the first message matching the options, in full with its
   * `codes` and `links`, as soon as it is there: the newest matching message
   * already present, else the next to arrive (with `since`, only later ones).
   * Throws `EphemailTimeoutError` after `timeout` ms (default 30 000).
   */
  waitForMessage(options?: WaitOptions): Promise<ApiMessage>;
  /**
   * The deliverability report of one message: SPF, DKIM, DMARC, the content
   * checks, the delivery timeline and a score from 0 to 10. The server makes
   * it on the first request (its DNS lookups take up to a few seconds) and
   * keeps it. Each check's `message` (and each verdict's `explanation`) also
   * comes as a stable code with the values it names (`messageCode`,
   * `messageValues`), for scripts that look for one finding. An
   * `EphemailError` with status 404 when there is no such message.
   */
  report(id: string): Promise<ApiReport>;
  /** The message as it arrived, every byte (the .eml file); an `EphemailError` with status 404 when there is none. */
  raw(id: string): Promise<Uint8Array>;
  /** Deletes one message; an `EphemailError` with status 404 when there is none. */
  deleteMessage(id: string): Promise<void>;
  /** Deletes every message; resolves to how many there were. */
  delete(): Promise<number>;
}

function isoOrId(position: string | Date | undefined): string | undefined {
  return position instanceof Date ? position.toISOString() : position;
}

/** An `Inbox` over the API at `send`. */
export function inboxAt(send: Send, address: string): Inbox {
  const base = `/api/inboxes/${encodeURIComponent(address)}`;
  const messagePath = (id: string) => `${base}/messages/${encodeURIComponent(id)}`;

  async function list(filters: MessageFilters = {}): Promise<ApiMessageSummary[]> {
    const response = await send('GET', `${base}/messages`, { query: { ...filters, since: isoOrId(filters.since), before: isoOrId(filters.before) } });
    return (await readJson<{ address: string; messages: ApiMessageSummary[] }>(response)).messages;
  }

  async function message(id: string): Promise<ApiMessage> {
    return readJson<ApiMessage>(await send('GET', messagePath(id)));
  }

  return {
    address,
    messages: list,
    message,
    waitForMessage: (options) => waitForMessage({
      address,
      list,
      async waitOnce(filters, timeoutMs) {
        // Whole milliseconds, at least 1: the server refuses a zero duration.
        const timeout = `${Math.max(1, Math.ceil(timeoutMs))}ms`;
        return readJson<ApiMessage>(await send('GET', `${base}/wait`, { query: { ...filters, timeout } }));
      },
      get: (id) => message(id).catch((error: unknown) => {
        if (error instanceof EphemailError && error.status === 404) return null;
        throw error;
      }),
    }, options),
    async report(id) {
      return readJson<ApiReport>(await send('GET', `${messagePath(id)}/report`));
    },
    async raw(id) {
      return new Uint8Array(await (await send('GET', `${messagePath(id)}/raw`)).arrayBuffer());
    },
    async deleteMessage(id) {
      await send('DELETE', messagePath(id));
    },
    async delete() {
      return (await readJson<{ deleted: number }>(await send('DELETE', base))).deleted;
    },
  };
}
