/**
 * The JSON the page reads, typed from the server's own declarations so the
 * page cannot drift from the API unnoticed. Page modules take API types from
 * here and nowhere else, so when the server's file moves only this file
 * changes. Types only: no page module imports it at run time.
 */

/** @typedef {import('../../src/http/api/types.js').ApiMailbox} ApiMailbox */
/** @typedef {import('../../src/http/api/types.js').ApiDomains} ApiDomains */
/** @typedef {import('../../src/http/api/types.js').ApiInbox} ApiInbox */
/** @typedef {import('../../src/http/api/types.js').ApiMessageSummary} ApiMessageSummary */
/** @typedef {import('../../src/http/api/types.js').ApiAttachment} ApiAttachment */
/** @typedef {import('../../src/http/api/types.js').ApiLink} ApiLink */
/** @typedef {import('../../src/http/api/types.js').ApiMessage} ApiMessage */

// The server declares the shapes below beside Node-only code (src/http/openapi/schemas.ts,
// src/http/events/frames.ts) that a browser check cannot load, so they are
// restated here from the types above.

/**
 * `POST /api/inboxes` body: a chosen name; no body makes a random address.
 * @typedef {{ localPart: string, domain: string }} ApiInboxRequest
 */

/**
 * `GET /api/addresses/check`
 * @typedef {{ valid: boolean, reason: string | null, address: string | null, public: true }} ApiAddressCheck
 */

/**
 * `GET /api/inboxes/{address}/messages`
 * @typedef {{ address: string, messages: ApiMessageSummary[] }} ApiMessageList
 */

/**
 * Why a message left its inbox.
 * @typedef {'deleted' | 'expired' | 'evicted'} ApiRemovalReason
 */

/**
 * A frame of the inbox's events socket: the whole list on (re)connection,
 * then one message added or removed at a time.
 * @typedef {{ type: 'hello', address: string, messages: ApiMessageSummary[] }
 *   | { type: 'message', message: ApiMessageSummary }
 *   | { type: ApiRemovalReason, id: string }} ApiEventFrame
 */

// An (empty) export makes this a module, so the typedefs are its exports, not globals.
export {};
