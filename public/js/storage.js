/**
 * What the browser remembers, so that coming back tomorrow opens the same
 * inbox with no account: the visitor's own address, the others this browser
 * made or kept, which messages were read, and the domain preferred for new
 * addresses. An address that only arrived
 * by link is never written here: a link must not decide whose inbox the
 * visitor comes back to. Storage may be unavailable (private modes, quotas);
 * the page then simply forgets, it never breaks.
 */

const PREFIX = 'ephemail:';
// Enough for a day's New address presses, all listed; past it the oldest made is dropped.
const MAX_OWN_INBOXES = 20;
// Read marks of every own inbox, and of a few recent others (opened by link), each capped, so storage stays small forever.
const MAX_OTHER_INBOXES_WITH_READ_MARKS = 10;
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

/** @param {string} key */
function remove(key) {
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    // Forbidden: there was nothing to remove either.
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

/**
 * @param {unknown} stored
 * @returns {InboxInfo | null}
 */
function toInboxInfo(stored) {
  if (!isRecord(stored) || typeof stored.address !== 'string') return null;
  return {
    address: stored.address,
    public: typeof stored.public === 'boolean' ? stored.public : null,
    ttlSeconds: typeof stored.ttlSeconds === 'number' ? stored.ttlSeconds : null,
  };
}

/** @returns {InboxInfo | null} the visitor's own inbox: the one this browser used last */
export function loadInbox() {
  return toInboxInfo(read('inbox', null));
}

/** @returns {InboxInfo[]} the inboxes this browser made or kept, in the order they were first saved, oldest first */
export function loadOwnInboxes() {
  const stored = read('own', []);
  return Array.isArray(stored) ? stored.map(toInboxInfo).filter((info) => info !== null) : [];
}

/**
 * Makes the inbox the visitor's own: the one the page opens next time, and
 * one a link may later name without being taken for someone else's. An
 * inbox saved before keeps its place among the own ones, so the list of
 * addresses on the page does not reorder as the person moves between them.
 * @param {InboxInfo} inbox
 */
export function saveInbox(inbox) {
  const entry = { address: inbox.address, public: inbox.public, ttlSeconds: inbox.ttlSeconds };
  write('inbox', entry);
  const own = loadOwnInboxes();
  const index = own.findIndex((saved) => saved.address === inbox.address);
  if (index >= 0) own[index] = entry;
  else own.push(entry);
  write('own', own.slice(-MAX_OWN_INBOXES));
}

/**
 * Forgets an own inbox: it leaves the list and its read marks go. If it was
 * the one the page opens next time, the newest remaining own inbox takes
 * that place. Its mail is the server's business: nothing is deleted there.
 * @param {string} address
 */
export function forgetInbox(address) {
  const own = loadOwnInboxes().filter((saved) => saved.address !== address);
  write('own', own);
  if (loadInbox()?.address === address) {
    const newest = own.at(-1);
    if (newest === undefined) remove('inbox');
    else write('inbox', newest);
  }
  const marks = readMarksTable();
  delete marks[address];
  write('read', marks);
}

/**
 * @param {string} address
 * @returns {InboxInfo | null} what is saved of the address if this browser made or kept it; null for any other
 */
export function findOwnInbox(address) {
  // The current inbox counts even if it was saved before the list of own inboxes existed.
  const current = loadInbox();
  if (current?.address === address) return current;
  return loadOwnInboxes().find((own) => own.address === address) ?? null;
}

/**
 * @param {string} address
 * @returns {Set<string>} ids of the inbox's messages this browser has opened
 */
export function loadReadIds(address) {
  const ids = readMarksTable()[address];
  return new Set(Array.isArray(ids) ? ids.filter(isString) : []);
}

/**
 * Remembers which of the inbox's messages were opened.
 * @param {string} address
 * @param {Set<string>} ids
 */
export function saveReadIds(address, ids) {
  const table = readMarksTable();
  delete table[address];
  // Re-inserted last, so the oldest of the other inboxes fall off the front.
  table[address] = [...ids].slice(-MAX_READ_IDS);
  const own = new Set(loadOwnInboxes().map((saved) => saved.address));
  const others = Object.keys(table).filter((marked) => !own.has(marked));
  for (const stale of others.slice(0, Math.max(0, others.length - MAX_OTHER_INBOXES_WITH_READ_MARKS))) delete table[stale];
  write('read', table);
}

/** @returns {Record<string, unknown>} the read marks of every inbox, by address, oldest written first */
function readMarksTable() {
  const all = read('read', {});
  return isRecord(all) && !Array.isArray(all) ? all : {};
}

/** @returns {string | null} the language the visitor picked in the menu, if any */
export function loadLanguageChoice() {
  const stored = read('language', null);
  return isString(stored) ? stored : null;
}

/**
 * Remembers the visitor's pick of language over the browser's own.
 * @param {string} code
 */
export function saveLanguageChoice(code) {
  write('language', code);
}

/** @returns {string | null} the domain the visitor picked for new random addresses, if any */
export function loadDomainChoice() {
  const stored = read('domain', null);
  return isString(stored) ? stored : null;
}

/**
 * Remembers the domain new random addresses should use.
 * @param {string} domain
 */
export function saveDomainChoice(domain) {
  write('domain', domain);
}

/** @typedef {{ notify: boolean, sound: boolean }} AlertSettings what the visitor turned on to hear of new mail */

/** @returns {AlertSettings} notifications and sound, each off until the visitor turns it on */
export function loadAlertSettings() {
  const stored = read('alerts', null);
  return { notify: isRecord(stored) && stored.notify === true, sound: isRecord(stored) && stored.sound === true };
}

/**
 * Remembers which alerts the visitor turned on.
 * @param {AlertSettings} settings
 */
export function saveAlertSettings({ notify, sound }) {
  write('alerts', { notify, sound });
}
