/**
 * The typed client of the Ephemail API, for test suites:
 *
 * ```ts
 * import { ephemail } from 'ephemail/client';
 * const inbox = await ephemail('http://localhost:8080').createInbox();
 * // ... sign up with inbox.address ...
 * const mail = await inbox.waitForMessage({ subject: /confirm/i });
 * mail.codes[0]; mail.links.find((link) => link.action)?.url;
 * ```
 *
 * It runs anywhere `fetch` does and imports nothing of the server.
 */
import type { ApiDomains, ApiInbox } from '../http/api/types.js';
import { inboxAt, type Inbox } from './inbox.js';
import { createSend, readJson } from './request.js';

export type {
  ApiAttachment, ApiDomains, ApiInbox, ApiIntakeSession, ApiLink, ApiMailbox, ApiMessage, ApiMessageSummary, ApiProblemBody,
  ApiReport, ApiReportCheck, ApiReportSentence, ApiReportSentenceCode,
} from '../http/api/types.js';
export { EphemailError, EphemailTimeoutError, type EphemailErrorOptions, type WaitDescription } from './errors.js';
export type { Inbox, MessageFilters } from './inbox.js';
export type { WaitOptions } from './wait.js';

/** Options of `ephemail()`. */
export interface EphemailOptions {
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
}

/** What `createInbox` may ask for. */
export interface CreateInboxOptions {
  /** A chosen name; leave it out for a random, unguessable address (best for tests: chosen names are public). */
  localPart?: string;
  /** One of the server's domains; defaults to its default domain. */
  domain?: string;
}

/** A new inbox, with what the server said about it. */
export interface CreatedInbox extends Inbox, Readonly<ApiInbox> {}

/** A client of one Ephemail server. */
export interface EphemailClient {
  /** The domains the server takes mail for. */
  domains(): Promise<ApiDomains>;
  /** A new inbox: random by default, or the chosen `localPart`. */
  createInbox(options?: CreateInboxOptions): Promise<CreatedInbox>;
  /**
   * The inbox of an existing address (any case, `+tag` allowed); no request
   * is made. Throws a TypeError at once for text that is not an address at all.
   */
  inbox(address: string): Inbox;
}

/**
 * A client of the Ephemail server at `baseUrl` (such as
 * `http://localhost:8080`). Failed requests throw `EphemailError` with the
 * status and the server's explanation.
 */
export function ephemail(baseUrl: string, options: EphemailOptions = {}): EphemailClient {
  // Called as a plain function, never as a method: browsers refuse fetch with a foreign `this`.
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const send = createSend(baseUrl, fetchImpl);
  return {
    async domains() {
      return readJson<ApiDomains>(await send('GET', '/api/domains'));
    },
    async createInbox(request = {}) {
      const hasBody = request.localPart !== undefined || request.domain !== undefined;
      const created = await readJson<ApiInbox>(await send('POST', '/api/inboxes', hasBody ? { json: request } : {}));
      return { ...inboxAt(send, created.address), ...created };
    },
    inbox(address) {
      checkAddressShape(address);
      return inboxAt(send, address);
    },
  };
}

/**
 * Refuses text that cannot be an address before any request. Only the shape
 * (one @ between two non-empty parts, no blanks): the server's own rules
 * (src/mail/address/) use Node modules this browser-safe client cannot load,
 * and the server still answers `invalid_address` with its reason for the rest.
 */
function checkAddressShape(address: string): void {
  if (!/^[^\s@]+@[^\s@]+$/u.test(address)) {
    throw new TypeError(`inbox(): "${address}" is not an email address; pass one such as name@ephemail.test.`);
  }
}
