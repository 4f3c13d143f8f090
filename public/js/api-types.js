/**
 * The JSON the page reads, typed from the server's own declarations
 * (src/http/api/types.ts, inferred from the routes' zod schemas), so the page
 * cannot drift from the API unnoticed. Page modules take API types from here
 * and nowhere else. Types only: no page module imports it at run time.
 */
/** @typedef {import('../../src/http/api/types.js').ApiMailbox} ApiMailbox */
/** @typedef {import('../../src/http/api/types.js').ApiDomains} ApiDomains */
/** @typedef {import('../../src/http/api/types.js').ApiInbox} ApiInbox */
/** @typedef {import('../../src/http/api/types.js').ApiMessageSummary} ApiMessageSummary */
/** @typedef {import('../../src/http/api/types.js').ApiAttachment} ApiAttachment */
/** @typedef {import('../../src/http/api/types.js').ApiLink} ApiLink */
/** @typedef {import('../../src/http/api/types.js').ApiMessage} ApiMessage */
/** @typedef {import('../../src/http/api/types.js').ApiReport} ApiReport */
/** @typedef {import('../../src/http/api/types.js').ApiReportCheck} ApiReportCheck */
/** @typedef {import('../../src/http/api/types.js').ApiReportSentence} ApiReportSentence */

/** @typedef {import('../../src/http/api/types.js').ApiInboxRequest} ApiInboxRequest */
/** @typedef {import('../../src/http/api/types.js').ApiAddressCheck} ApiAddressCheck */
/**
 * @typedef {{ code: NonNullable<ApiAddressCheck['reasonCode']>, values: NonNullable<ApiAddressCheck['reasonValues']> }} ApiAddressReason
 * Why an address, name or domain was refused: the stable code and what its sentence names.
 */
/** @typedef {import('../../src/http/api/types.js').ApiMessageList} ApiMessageList */
/** @typedef {import('../../src/http/api/types.js').ApiEventFrame} ApiEventFrame */
/** @typedef {import('../../src/http/api/types.js').ApiRemovalFrame['type']} ApiRemovalReason */
/** @typedef {import('../../src/http/api/types.js').ProblemCode} ApiProblemCode */

// An (empty) export makes this a module, so the typedefs are its exports, not globals.
export {};
