/**
 * The addresses this browser made or kept, listed in the address card:
 * each a link to its inbox (the URL still names exactly one), with its
 * unread count and a button to forget it. Newest first, in a fixed order,
 * so nothing moves under the pointer as the person switches; the one on
 * show is marked. The list shows only when it holds an address other than
 * the one on show. Rows stay in the DOM across updates, so a focused link
 * keeps its focus while counts change.
 */
import { h, icon } from '../dom.js';
import { t } from '../i18n/locale.js';
import { inboxHash } from '../routes.js';

/** @typedef {import('../storage.js').InboxInfo} InboxInfo */
/** @typedef {{ item: HTMLLIElement, link: HTMLAnchorElement, badge: HTMLElement }} Row */

const CROSS = ['M6 6l12 12', 'M18 6 6 18'];

/** The list of saved addresses and their unread counts. */
export class SavedAddressList {
  /**
   * @param {{ container: HTMLElement, list: HTMLUListElement, onForget: (address: string) => void }} parts
   *   `container` holds the list and its title, and is hidden with them
   */
  constructor({ container, list, onForget }) {
    this.container = container;
    this.list = list;
    this.onForget = onForget;
    /** @type {Map<string, Row>} */
    this.rows = new Map();
    /** @type {Map<string, number>} unread counts, kept for an address not (yet) listed too: the one on show before it is kept */
    this.unread = new Map();
    /** @type {string | null} the address on show */
    this.current = null;
  }

  /**
   * Brings the list in line with what is saved.
   * @param {readonly InboxInfo[]} saved as storage keeps them, oldest first
   * @param {string | null} current the address on show, listed or not
   */
  show(saved, current) {
    const addresses = saved.map((info) => info.address).reverse();
    for (const [address, row] of this.rows) {
      if (addresses.includes(address)) continue;
      row.item.remove();
      this.rows.delete(address);
      this.unread.delete(address);
    }
    let cursor = this.list.firstElementChild;
    for (const address of addresses) {
      const row = this.rows.get(address) ?? this.addRow(address);
      // Rows already in place are never moved: moving a focused node would blur it.
      if (row.item === cursor) cursor = cursor.nextElementSibling;
      else this.list.insertBefore(row.item, cursor);
      row.item.classList.toggle('is-current', address === current);
      if (address === current) row.link.setAttribute('aria-current', 'true');
      else row.link.removeAttribute('aria-current');
    }
    this.current = current;
    this.container.hidden = this.others().length === 0;
  }

  /** @returns {string[]} the listed addresses other than the one on show */
  others() {
    return [...this.rows.keys()].filter((address) => address !== this.current);
  }

  /**
   * Shows how many of an inbox's messages this browser has not opened.
   * @param {string} address
   * @param {number} unread
   */
  setUnread(address, unread) {
    this.unread.set(address, unread);
    const row = this.rows.get(address);
    if (row !== undefined) showUnread(row.badge, unread);
  }

  /**
   * The link of the row after this address's, or before it if it is last: where focus goes when it is forgotten.
   * @param {string} address
   * @returns {HTMLAnchorElement | null}
   */
  linkBeside(address) {
    const item = this.rows.get(address)?.item;
    const beside = item?.nextElementSibling ?? item?.previousElementSibling;
    return beside?.querySelector('a') ?? null;
  }

  /**
   * @param {string} address
   * @returns {Row}
   */
  addRow(address) {
    const badge = h('span', { class: 'saved-unread', hidden: true });
    const at = address.lastIndexOf('@');
    // Name and domain each stay whole when they fit, so a narrow row breaks at the @, not at a hyphen.
    const name = h('span', { class: 'saved-address' },
      h('span', { text: address.slice(0, at) }), h('span', { text: address.slice(at) }));
    const link = h('a', { class: 'saved-link', href: inboxHash(address) }, name, badge);
    const label = t('addresses.forget', { address });
    const forget = h('button', { type: 'button', class: 'btn btn-ghost btn-small saved-forget', 'aria-label': label, title: label }, icon(CROSS));
    forget.addEventListener('click', () => this.onForget(address));
    const row = { item: h('li', { class: 'saved-item' }, link, forget), link, badge };
    this.rows.set(address, row);
    showUnread(badge, this.unread.get(address) ?? 0);
    return row;
  }
}

/**
 * @param {HTMLElement} badge
 * @param {number} unread
 */
function showUnread(badge, unread) {
  badge.hidden = unread === 0;
  // The number is drawn; the words are what a screen reader says, as part of the link's name.
  badge.replaceChildren(
    h('span', { 'aria-hidden': 'true', text: String(unread) }),
    h('span', { class: 'visually-hidden', text: t('addresses.unread', { count: unread }) }));
}
