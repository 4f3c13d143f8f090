/**
 * The page around the inbox that reports on it: the live-connection
 * indicator, the message count, the "Empty inbox" button and the tab title.
 */
import { h } from '../dom.js';
import { t } from '../i18n/locale.js';
import { ui } from '../page-elements.js';

/** @typedef {import('../socket.js').SocketStatus | 'stopped'} ConnectionStatus */

/** @type {Record<ConnectionStatus, string>} */
const STATUS_KEY = { connecting: 'connection.connecting', live: 'connection.live', reconnecting: 'connection.reconnecting', stopped: 'connection.stopped' };

/**
 * Shows the state of the live connection.
 * @param {ConnectionStatus} status
 */
export function showConnection(status) {
  ui.connection.dataset.state = status;
  ui.connectionText.textContent = t(STATUS_KEY[status]);
}

/**
 * Shows how many messages there are and how many are unread.
 * @param {number} total
 * @param {number} unread
 */
export function showCounts(total, unread) {
  // The number is drawn; a screen reader reads the sentence instead, as part of the heading.
  ui.count.replaceChildren(...(total === 0 ? [] : [
    h('span', { 'aria-hidden': 'true', text: String(total) }),
    h('span', { class: 'visually-hidden', text: `${t('inbox.messageCount', { count: total })}, ${t('inbox.unreadCount', { count: unread })}` }),
  ]));
  ui.emptyInbox.hidden = total === 0;
  // The tab title shows unread mail when the tab is in the background.
  const title = t('page.title');
  document.title = unread > 0 ? `(${unread}) ${title}` : title;
}
