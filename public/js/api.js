/**
 * The JSON API, same origin. Errors become ApiError carrying the problem's
 * machine `code` (RFC 9457), by which problem-text.js words it in the page's
 * language, and the server's English `detail`, shown only as a last resort.
 */

/** @typedef {import('./api-types.js').ApiAddressCheck} ApiAddressCheck */
/** @typedef {import('./api-types.js').ApiAddressReason} ApiAddressReason */
/** @typedef {import('./api-types.js').ApiDomains} ApiDomains */
/** @typedef {import('./api-types.js').ApiInbox} ApiInbox */
/** @typedef {import('./api-types.js').ApiInboxRequest} ApiInboxRequest */
/** @typedef {import('./api-types.js').ApiMessage} ApiMessage */
/** @typedef {import('./api-types.js').ApiMessageList} ApiMessageList */
/** @typedef {import('./api-types.js').ApiProblemCode} ApiProblemCode */
/** @typedef {import('./api-types.js').ApiReport} ApiReport */

/** A failed API call: what kind of problem it was, and the server's own sentence. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the server could not be reached
   * @param {ApiProblemCode | null} code the problem's machine code; null when the answer was no problem document
   * @param {string} detail the server's sentence, in English (or what happened, when it sent none)
   * @param {ApiAddressReason | null} [reason] which rule refused an address, name or domain, when that was the problem
   */
  constructor(status, code, detail, reason = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.reason = reason;
  }
}

const enc = encodeURIComponent;
/** @param {string} address */
const inboxPath = (address) => `/api/inboxes/${enc(address)}`;

/**
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<unknown>} the parsed JSON answer, or null for 204 No Content
 */
async function request(method, path, { body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, 'The server could not be reached.');
  }
  if (response.status === 204) return null;
  /** @type {unknown} */
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    // Our own server's codes are those it declares; one added later is simply a code the page does not know.
    const code = /** @type {ApiProblemCode | null} */ (problemField(data, 'code'));
    throw new ApiError(response.status, code, problemField(data, 'detail') ?? `The server answered ${response.status}.`, addressReasonOf(data));
  }
  return data;
}

/**
 * A request whose answer has the type the route declares.
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<T>}
 */
async function requestJson(method, path, options) {
  // Our own server answers: its JSON is trusted to match its declared types, as the typed client does.
  return /** @type {T} */ (await request(method, path, options));
}

/**
 * A text field of a problem document; null when the answer is not one (a proxy's error page).
 * @param {unknown} data
 * @param {'code' | 'detail'} name
 */
function problemField(data, name) {
  if (typeof data !== 'object' || data === null) return null;
  const value = /** @type {Record<string, unknown>} */ (data)[name];
  return typeof value === 'string' ? value : null;
}

/**
 * The refusal reason of a problem about an address, name or domain; null for any other answer.
 * @param {unknown} data
 * @returns {ApiAddressReason | null}
 */
function addressReasonOf(data) {
  if (typeof data !== 'object' || data === null) return null;
  const { reasonCode, reasonValues } = /** @type {Record<string, unknown>} */ (data);
  if (typeof reasonCode !== 'string' || typeof reasonValues !== 'object' || reasonValues === null) return null;
  // Our own server's codes and values, as it declares them (see requestJson).
  return /** @type {ApiAddressReason} */ ({ code: reasonCode, values: reasonValues });
}

/**
 * Only our own API paths are used as iframe sources and download links.
 * @param {unknown} path
 * @returns {path is string}
 */
export function isApiPath(path) {
  return typeof path === 'string' && path.startsWith('/api/') && !path.startsWith('/api//');
}

/** Every call the page makes to the server. */
export const api = {
  /** @returns {Promise<ApiDomains>} */
  domains: () => requestJson('GET', '/api/domains'),

  /**
   * A random inbox without arguments, or the chosen `{localPart, domain}`.
   * @param {ApiInboxRequest} [choice]
   * @returns {Promise<ApiInbox>}
   */
  createInbox: (choice) => requestJson('POST', '/api/inboxes', { body: choice }),

  /**
   * @param {string} localPart
   * @param {string} domain
   * @param {AbortSignal} [signal]
   * @returns {Promise<ApiAddressCheck>}
   */
  checkAddress: (localPart, domain, signal) =>
    requestJson('GET', `/api/addresses/check?localPart=${enc(localPart)}&domain=${enc(domain)}`, { signal }),

  /**
   * The newest 200 messages: as many as the socket's hello frame carries, so both give the same list.
   * @param {string} address
   * @param {AbortSignal} [signal]
   * @returns {Promise<ApiMessageList>}
   */
  listMessages: (address, signal) => requestJson('GET', `${inboxPath(address)}/messages?limit=200`, { signal }),

  /**
   * @param {string} address
   * @param {string} id
   * @param {AbortSignal} [signal]
   * @returns {Promise<ApiMessage>}
   */
  getMessage: (address, id, signal) => requestJson('GET', `${inboxPath(address)}/messages/${enc(id)}`, { signal }),

  /**
   * The deliverability report; the server makes it on first request, which can take seconds.
   * @param {string} address
   * @param {string} id
   * @param {AbortSignal} [signal]
   * @returns {Promise<ApiReport>}
   */
  getReport: (address, id, signal) => requestJson('GET', `${inboxPath(address)}/messages/${enc(id)}/report`, { signal }),

  /**
   * @param {string} address
   * @param {string} id
   * @returns {Promise<unknown>}
   */
  deleteMessage: (address, id) => request('DELETE', `${inboxPath(address)}/messages/${enc(id)}`),

  /**
   * @param {string} address
   * @returns {Promise<unknown>}
   */
  emptyInbox: (address) => request('DELETE', inboxPath(address)),

  /**
   * How many remote images and styles the sanitised HTML left out. HEAD
   * reads the count without downloading the document a second time.
   * @param {string} htmlUrl
   * @param {AbortSignal} [signal]
   * @returns {Promise<number>}
   */
  async blockedRemoteCount(htmlUrl, signal) {
    const response = await fetch(htmlUrl, { method: 'HEAD', signal });
    if (!response.ok) return 0;
    const count = Number(response.headers.get('x-blocked-remote-content'));
    return Number.isFinite(count) && count > 0 ? count : 0;
  },

  /** @param {string} address */
  eventsUrl(address) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${inboxPath(address)}/events`;
  },
};
