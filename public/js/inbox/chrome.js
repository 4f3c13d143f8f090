/**
 * The page around the inbox that reports on it: the live-connection
 * indicator, the message count, the "Empty inbox" button, and the tab's
 * title and icon, which show unread mail to someone looking at another tab.
 */
import { h } from '../dom.js';
import { t } from '../i18n/locale.js';
import { elementById, ui } from '../page-elements.js';

const favicon = elementById('favicon', HTMLLinkElement);
const ICON = '/favicon.svg';
// public/favicon.svg with a red dot for unread mail, drawn in place of its small yellow one. A data:
// URL, which the page's CSP allows for images: showing it fetches nothing, so mail arriving makes no request.
const UNREAD_ICON = `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6366f1"/><stop offset="1" stop-color="#4338ca"/></linearGradient></defs>
<rect width="32" height="32" rx="8" fill="url(#g)"/>
<rect x="7" y="10" width="18" height="13" rx="2.5" fill="none" stroke="#fff" stroke-width="2"/>
<path d="M8 11.5l8 6 8-6" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
<circle cx="25" cy="7" r="6.5" fill="#e11d48" stroke="#fff" stroke-width="1.5"/>
</svg>`)}`;

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
    h('span', { class: 'visually-hidden', text: t('inbox.counts', { messages: t('inbox.messageCount', { count: total }), unread: t('inbox.unreadCount', { count: unread }) }) }),
  ]));
  ui.emptyInbox.hidden = total === 0;
  // The tab's title and icon show unread mail when the tab is in the background.
  const title = t('page.title');
  document.title = unread > 0 ? `(${unread}) ${title}` : title;
  const icon = unread > 0 ? UNREAD_ICON : ICON;
  if (favicon.getAttribute('href') !== icon) favicon.setAttribute('href', icon);
}
