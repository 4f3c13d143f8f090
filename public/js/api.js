/**
 * The JSON API, same origin. Errors become ApiError carrying the server's
 * `detail` sentence (RFC 9457), which is written for people and shown as is.
 */

export class ApiError extends Error {
  /**
   * @param {number} status
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
const inboxPath = (address) => `/api/inboxes/${enc(address)}`;

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
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data && typeof data.detail === 'string' ? data.detail : `The server answered ${response.status}.`;
    throw new ApiError(response.status, detail);
  }
  return data;
}

/** Only our own API paths are used as iframe sources and download links. */
export function isApiPath(path) {
  return typeof path === 'string' && path.startsWith('/api/') && !path.startsWith('/api//');
}

export const api = {
  /** @returns {Promise<{domains: string[], defaultDomain: string, catchAll: boolean, ttlSeconds: number}>} */
  domains: () => request('GET', '/api/domains'),

  /**
   * A random inbox without arguments, or the chosen `{localPart, domain}`.
   * @returns {Promise<{address: string, random: boolean, public: boolean, ttlSeconds: number}>}
   */
  createInbox: (choice) => request('POST', '/api/inboxes', { body: choice }),

  /** @returns {Promise<{valid: boolean, reason: string | null, address: string | null, public: boolean}>} */
  checkAddress: (localPart, domain, signal) =>
    request('GET', `/api/addresses/check?localPart=${enc(localPart)}&domain=${enc(domain)}`, { signal }),

  /** @returns {Promise<{address: string, messages: any[]}>} */
  listMessages: (address, signal) => request('GET', `${inboxPath(address)}/messages`, { signal }),

  getMessage: (address, id, signal) => request('GET', `${inboxPath(address)}/messages/${enc(id)}`, { signal }),

  deleteMessage: (address, id) => request('DELETE', `${inboxPath(address)}/messages/${enc(id)}`),

  emptyInbox: (address) => request('DELETE', inboxPath(address)),

  /**
   * How many remote images and styles the sanitised HTML left out. HEAD
   * reads the count without downloading the document a second time.
   */
  async blockedRemoteCount(htmlUrl, signal) {
    const response = await fetch(htmlUrl, { method: 'HEAD', signal });
    if (!response.ok) return 0;
    const count = Number(response.headers.get('x-blocked-remote-content'));
    return Number.isFinite(count) && count > 0 ? count : 0;
  },

  eventsUrl(address) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${inboxPath(address)}/events`;
  },
};
