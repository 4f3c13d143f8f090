/**
 * The address card at the top, and the footer's retention sentence: which
 * inbox this is, whether it is the visitor's own, whether anyone could read
 * it, and how long mail stays.
 */
import { h } from '../dom.js';
import { t } from '../i18n/locale.js';
import { ui } from '../page-elements.js';
import { retention } from '../time.js';

/** @typedef {import('../storage.js').InboxInfo} InboxInfo */

/**
 * Shows the inbox's address, ready to copy. One that came by link is marked
 * as such, with the ways out: back to the visitor's own inbox (or a first
 * one, if they have none yet), or keeping this one.
 * @param {InboxInfo} info
 * @param {{ fromLink: boolean, hasOwnInbox: boolean }} origin
 */
export function showAddress(info, { fromLink, hasOwnInbox }) {
  const at = info.address.lastIndexOf('@');
  // A break opportunity after the @, so a long address wraps where people expect.
  ui.address.replaceChildren(
    h('span', { class: 'address-local', text: info.address.slice(0, at) }),
    h('span', { class: 'address-domain' }, '@', h('wbr'), info.address.slice(at + 1)));
  ui.emptyAddress.textContent = info.address;
  ui.addressLabel.textContent = t(fromLink ? 'address.fromLink' : 'address.yours');
  ui.publicNote.hidden = info.public !== true;
  ui.linkNote.hidden = !fromLink;
  ui.ownInbox.textContent = t(hasOwnInbox ? 'address.backToMine' : 'address.getOwn');
  ui.copyAddress.disabled = false;
}

/**
 * Says why the address does not work, or clears that with null.
 * @param {string | null} text
 */
export function showAddressError(text) {
  ui.addressError.hidden = text === null;
  ui.addressError.textContent = text ?? '';
}

/**
 * Says how long mail is kept; null when that is not known (yet).
 * @param {number | null} seconds
 */
export function showRetention(seconds) {
  ui.retention.textContent = seconds === null
    ? t('footer.retentionUnknown')
    : t('footer.retention', { duration: retention(seconds) });
}
