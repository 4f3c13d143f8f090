/**
 * What the person asks of the server from the page's buttons: a new random
 * address, going back to their own from one opened by link, deleting one
 * message, emptying the inbox. Each says how it went through the live
 * region, and failures say why (problem-text.js).
 */
import { showAddressError } from '../address/card.js';
import { ApiError, api } from '../api.js';
import { announce } from '../clipboard.js';
import { t } from '../i18n/locale.js';
import { ui } from '../page-elements.js';
import { problemText } from '../problem-text.js';
import { inboxHash } from '../routes.js';

/** @typedef {import('./list.js').InboxList} InboxList */
/** @typedef {import('./session.js').InboxSession} InboxSession */
/** @typedef {import('../message/view.js').MessageView} MessageView */
/** @typedef {import('../router.js').Router} Router */

/** The server calls behind the page's buttons. */
export class InboxActions {
  /**
   * @param {{ session: InboxSession, list: InboxList, view: MessageView, router: Router, newDomain: () => string | undefined }} parts
   *   `newDomain` is the domain picked for new random addresses, if any
   */
  constructor({ session, list, view, router, newDomain }) {
    this.session = session;
    this.list = list;
    this.view = view;
    this.router = router;
    this.newDomain = newDomain;
  }

  /**
   * Gets a random address and opens it.
   * @param {boolean} firstVisit true on the first visit, which takes no history entry and says nothing
   */
  async createRandom(firstVisit) {
    ui.newAddress.disabled = true;
    try {
      const domain = this.newDomain();
      const info = this.session.remember(await api.createInbox(domain === undefined ? undefined : { domain }));
      if (firstVisit) {
        this.router.enter(inboxHash(info.address));
      } else {
        this.router.navigate(inboxHash(info.address));
        announce(t('address.announceNew', { address: info.address }));
      }
    } catch (error) {
      showAddressError(problemText(error, 'address.createFailed'));
    } finally {
      ui.newAddress.disabled = false;
    }
  }

  /** Leaves an inbox opened by link for the visitor's own, making them one if they have none yet. */
  async openOwnInbox() {
    const own = this.session.own;
    if (own === null) {
      await this.createRandom(false);
      return;
    }
    this.router.navigate(inboxHash(own.address));
    announce(t('address.announceBack', { address: own.address }));
  }

  /**
   * Deletes a message and goes back to the list.
   * @param {string} id
   */
  async deleteMessage(id) {
    if (this.session.inbox === null) return;
    try {
      await api.deleteMessage(this.session.inbox.address, id);
    } catch (error) {
      // Already gone is what the person wanted anyway.
      if (!(error instanceof ApiError && error.status === 404)) {
        announce(problemText(error, 'message.deleteFailed'));
        return;
      }
    }
    this.list.remove(id);
    announce(t('message.deleted'));
    this.router.navigate(inboxHash(this.session.inbox.address));
  }

  /** Deletes every message of the inbox. */
  async emptyInbox() {
    if (this.session.inbox === null) return;
    try {
      await api.emptyInbox(this.session.inbox.address);
    } catch (error) {
      announce(problemText(error, 'inbox.emptyFailed'));
      return;
    }
    this.list.replace([]);
    announce(t('inbox.emptied'));
    if (this.view.id !== null) this.router.navigate(inboxHash(this.session.inbox.address));
  }
}
