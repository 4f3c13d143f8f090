/**
 * The JSON API, same origin. Errors become ApiError carrying the server's
 * `detail` sentence (RFC 9457), which is written for people and shown as is.
 */

/** @typedef {import('./api-types.js').ApiAddressCheck} ApiAddressCheck */
/** @typedef {import('./api-types.js').ApiDomains} ApiDomains */
/** @typedef {import('./api-types.js').ApiInbox} ApiInbox */
/** @typedef {import('./api-types.js').ApiInboxRequest} ApiInboxRequest */
/** @typedef {import('./api-types.js').ApiMessage} ApiMessage */
/** @typedef {import('./api-types.js').ApiMessageList} ApiMessageList */
/** @typedef {import('./api-types.js').ApiReport} ApiReport */

/** A failed API call, with the sentence to show for it. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, or 0 when the server could not be reached
   * @param {string} detail
   */
  constructor(status, detail) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
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
    throw new ApiError(0, 'The server could not be reached; check your connection and try again.');
  }
  if (response.status === 204) return null;
  /** @type {unknown} */
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, problemDetail(data) ?? `The server answered ${response.status}.`);
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

/** @param {unknown} data */
function problemDetail(data) {
  if (typeof data !== 'object' || data === null || !('detail' in data)) return null;
  return typeof data.detail === 'string' ? data.detail : null;
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
