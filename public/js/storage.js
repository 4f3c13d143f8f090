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

function read(key, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Full or forbidden: the page works without memory.
  }
}

/**
 * @typedef {{ address: string, public: boolean | null, ttlSeconds: number | null }} InboxInfo
 * `public` is null when the address came from a link and we do not know how it was made.
 */

/** @returns {InboxInfo | null} */
export function loadInbox() {
  const stored = read('inbox', null);
  if (stored === null || typeof stored !== 'object' || typeof stored.address !== 'string') return null;
  return {
    address: stored.address,
    public: typeof stored.public === 'boolean' ? stored.public : null,
    ttlSeconds: typeof stored.ttlSeconds === 'number' ? stored.ttlSeconds : null,
  };
}

/** @param {InboxInfo} inbox */
export function saveInbox(inbox) {
  write('inbox', { address: inbox.address, public: inbox.public, ttlSeconds: inbox.ttlSeconds });
}

/** @returns {Set<string>} */
export function loadReadIds(address) {
  const all = read('read', {});
  const ids = all && typeof all === 'object' ? all[address] : null;
  return new Set(Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : []);
}

/**
 * @param {string} address
 * @param {Set<string>} ids
 */
export function saveReadIds(address, ids) {
  const all = read('read', {});
  const table = all && typeof all === 'object' && !Array.isArray(all) ? all : {};
  delete table[address];
  // Re-inserted last, so the oldest inboxes fall off the front.
  table[address] = [...ids].slice(-MAX_READ_IDS);
  const addresses = Object.keys(table);
  for (const stale of addresses.slice(0, Math.max(0, addresses.length - MAX_INBOXES_WITH_READ_MARKS))) delete table[stale];
  write('read', table);
}
