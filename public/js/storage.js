/**
 * What the browser remembers, so that coming back tomorrow opens the same
 * inbox with no account: the current address and which messages were read.
 * Storage may be unavailable (private modes, quotas); the page then simply
 * forgets, it never breaks.
 */

const PREFIX = 'ephemail:';
// Read marks of a few recent inboxes, each capped, so storage stays small forever.
const MAX_INBOXES_WITH_READ_MARKS = 10;
const MAX_READ_IDS = 500;

/**
 * @param {string} key
 * @param {unknown} fallback
 * @returns {unknown} the stored JSON, unchecked, or `fallback`
 */
function read(key, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

/**
 * @param {string} key
 * @param {unknown} value
 */
function write(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Full or forbidden: the page works without memory.
  }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isRecord = (value) => typeof value === 'object' && value !== null;

/**
 * @param {unknown} value
 * @returns {value is string}
 */
const isString = (value) => typeof value === 'string';

/**
 * @typedef {{ address: string, public: boolean | null, ttlSeconds: number | null }} InboxInfo
 * `public` is null when the address came from a link and we do not know how it was made.
 */

/** @returns {InboxInfo | null} the inbox this browser used last */
export function loadInbox() {
  const stored = read('inbox', null);
  if (!isRecord(stored) || typeof stored.address !== 'string') return null;
  return {
    address: stored.address,
    public: typeof stored.public === 'boolean' ? stored.public : null,
    ttlSeconds: typeof stored.ttlSeconds === 'number' ? stored.ttlSeconds : null,
  };
}

/**
 * Remembers the inbox in use.
 * @param {InboxInfo} inbox
 */
export function saveInbox(inbox) {
  write('inbox', { address: inbox.address, public: inbox.public, ttlSeconds: inbox.ttlSeconds });
}

/**
 * @param {string} address
 * @returns {Set<string>} ids of the inbox's messages this browser has opened
 */
export function loadReadIds(address) {
  const all = read('read', {});
  const ids = isRecord(all) ? all[address] : null;
  return new Set(Array.isArray(ids) ? ids.filter(isString) : []);
}

/**
 * Remembers which of the inbox's messages were opened.
 * @param {string} address
 * @param {Set<string>} ids
 */
export function saveReadIds(address, ids) {
  const all = read('read', {});
  /** @type {Record<string, unknown>} */
  const table = isRecord(all) && !Array.isArray(all) ? all : {};
  delete table[address];
  // Re-inserted last, so the oldest inboxes fall off the front.
  table[address] = [...ids].slice(-MAX_READ_IDS);
  const addresses = Object.keys(table);
  for (const stale of addresses.slice(0, Math.max(0, addresses.length - MAX_INBOXES_WITH_READ_MARKS))) delete table[stale];
  write('read', table);
}
