/**
 * How long until something expires, as an element that keeps itself
 * current: for the open message, whose "Expires" field counts down while it
 * is read (the list's rows have the list's own timer).
 */
import { h } from './dom.js';
import { nextExpiryChange } from './time.js';

/**
 * A span that says how long is left, rewritten each time the words change
 * (each second near the end), until it leaves the page.
 * @param {string} expiresAt ISO 8601
 * @param {(expiresAt: string, now: number) => string} say the words for the time left at `now`
 */
export function liveExpiry(expiresAt, say) {
  const element = h('span', { class: 'live-expiry' });
  const refresh = () => {
    const now = Date.now();
    element.textContent = say(expiresAt, now);
    const delay = nextExpiryChange(expiresAt, now);
    // Built before it is shown, so the first refresh finds it on the page; one that has left stops the chain.
    if (delay === Infinity) return;
    window.setTimeout(() => {
      if (element.isConnected) refresh();
    }, delay);
  };
  refresh();
  return element;
}
