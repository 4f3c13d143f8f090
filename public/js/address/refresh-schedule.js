/**
 * When to ask the server about saved inboxes that are not on show, for
 * their unread counts. The inbox on show has its own live socket; the
 * others are asked in turn, one list request per step at most, and each no
 * more often than once per refresh period. The cost stays fixed however
 * many addresses are saved (at most 60 000 / STEP_MS requests a minute per
 * visible tab, a twentieth of the default --rate-limit of 600), and with a
 * few addresses each count is at most a refresh period old. Pure logic, so
 * it is tested without a browser.
 */

/** How often one inbox may be asked about. */
export const STEP_MS = 2_000;
/** How old a count may get before its inbox is asked again, when few addresses are saved. */
export const REFRESH_MS = 15_000;

/**
 * The inbox to ask about now: the one asked longest ago (never asked comes
 * first), provided that was at least REFRESH_MS ago; null when none is due.
 * @param {readonly string[]} addresses the saved inboxes not on show
 * @param {ReadonlyMap<string, number>} askedAt when each was last asked, in ms
 * @param {number} now
 * @returns {string | null}
 */
export function nextToRefresh(addresses, askedAt, now) {
  /** @type {string | null} */
  let stalest = null;
  let stalestAt = Infinity;
  for (const address of addresses) {
    const at = askedAt.get(address) ?? -Infinity;
    if (at < stalestAt) {
      stalest = address;
      stalestAt = at;
    }
  }
  return stalest !== null && now - stalestAt >= REFRESH_MS ? stalest : null;
}
