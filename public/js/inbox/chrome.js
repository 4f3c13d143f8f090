/**
 * The page around the inbox that reports on it: the live-connection
 * indicator, the message count, the "Empty inbox" button and the tab title.
 */
import { ui } from '../page-elements.js';

/** @typedef {import('../socket.js').SocketStatus | 'stopped'} ConnectionStatus */

const TITLE = 'Ephemail — disposable inbox';

/** @type {Record<ConnectionStatus, string>} */
const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Offline' };

/**
 * Shows the state of the live connection.
 * @param {ConnectionStatus} status
 */
export function showConnection(status) {
  ui.connection.dataset.state = status;
  ui.connectionText.textContent = STATUS_TEXT[status];
}

/**
 * Shows how many messages there are and how many are unread.
 * @param {number} total
 * @param {number} unread
 */
export function showCounts(total, unread) {
  ui.count.textContent = total === 0 ? '' : String(total);
  ui.count.setAttribute('aria-label', `${total} message${total === 1 ? '' : 's'}, ${unread} unread`);
  ui.emptyInbox.hidden = total === 0;
  // The tab title shows unread mail when the tab is in the background.
  document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
}
