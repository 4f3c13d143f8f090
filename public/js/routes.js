/**
 * The URL is the state: `#/inbox/<address>` is an inbox and
 * `#/inbox/<address>/<id>` one of its messages, so a bookmark, a second tab
 * and the Back button all land where the person was. A path URL
 * (`/inbox/<address>`) is also understood, for links typed by hand.
 */

/**
 * Where the person is: an inbox, one of its messages (`id`), or neither.
 * @typedef {{ address: string | null, id: string | null }} Route
 */

/**
 * The route the URL names, from its hash or else its path.
 * @returns {Route}
 */
export function parseLocation(loc = window.location) {
  const fromHash = parse(loc.hash.replace(/^#/, ''));
  if (fromHash.address !== null) return fromHash;
  return parse(loc.pathname);
}

/**
 * @param {string} path
 * @returns {Route}
 */
function parse(path) {
  const [, addressSegment, idSegment] = /^\/inbox\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path) ?? [];
  const address = addressSegment === undefined ? null : decode(addressSegment);
  if (!address?.includes('@')) return { address: null, id: null };
  const id = idSegment === undefined ? null : decode(idSegment);
  return { address: address.trim().toLowerCase(), id };
}

/** @param {string} segment */
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// '@' is kept readable in the URL; everything else an address may hold is escaped.
/** @param {string} address */
const encodeAddress = (address) => encodeURIComponent(address).replace(/%40/g, '@');

/**
 * The hash of an inbox.
 * @param {string} address
 */
export function inboxHash(address) {
  return `#/inbox/${encodeAddress(address)}`;
}

/**
 * The hash of one message of an inbox.
 * @param {string} address
 * @param {string} id
 */
export function messageHash(address, id) {
  return `${inboxHash(address)}/${encodeURIComponent(id)}`;
}
