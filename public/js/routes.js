/**
 * The URL is the state: `#/inbox/<address>` is an inbox and
 * `#/inbox/<address>/<id>` one of its messages, so a bookmark, a second tab
 * and the Back button all land where the person was. A path URL
 * (`/inbox/<address>`) is also understood, for links typed by hand.
 */

/** @returns {{ address: string | null, id: string | null }} */
export function parseLocation(loc = window.location) {
  const fromHash = parse(loc.hash.replace(/^#/, ''));
  if (fromHash.address !== null) return fromHash;
  return parse(loc.pathname);
}

function parse(path) {
  const match = /^\/inbox\/([^/]+)(?:\/([^/]+))?\/?$/.exec(path);
  if (match === null) return { address: null, id: null };
  const address = decode(match[1]);
  const id = match[2] === undefined ? null : decode(match[2]);
  return { address: address?.includes('@') ? address.trim().toLowerCase() : null, id: address?.includes('@') ? id : null };
}

function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// '@' is kept readable in the URL; everything else an address may hold is escaped.
const encodeAddress = (address) => encodeURIComponent(address).replace(/%40/g, '@');

export function inboxHash(address) {
  return `#/inbox/${encodeAddress(address)}`;
}

export function messageHash(address, id) {
  return `${inboxHash(address)}/${encodeURIComponent(id)}`;
}
