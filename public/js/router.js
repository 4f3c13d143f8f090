/**
 * The URL hash is the state (see routes.js): every change of inbox or
 * message goes through it, so Back, bookmarks and tabs agree. The router
 * moves the URL and shows what it names.
 */
import { focusQuietly } from './dom.js';
import { ui } from './page-elements.js';
import { inboxHash, parseLocation } from './routes.js';

/** @typedef {import('./inbox/list.js').InboxList} InboxList */
/** @typedef {import('./inbox/session.js').InboxSession} InboxSession */
/** @typedef {import('./message/view.js').MessageView} MessageView */

// Matches the stylesheet's breakpoint where list and message take turns.
const singlePane = window.matchMedia('(max-width: 820px)');

/** Moves between inboxes and messages through the URL. */
export class Router {
  /**
   * @param {{ session: InboxSession, list: InboxList, view: MessageView }} parts
   */
  constructor({ session, list, view }) {
    this.session = session;
    this.list = list;
    this.view = view;
    // Where the list was scrolled on a one-pane screen before a message replaced it.
    this.listScrollY = 0;
  }

  /**
   * Goes to a hash as a new history entry.
   * @param {string} hash
   */
  navigate(hash) {
    // Same hash: no hashchange event would fire, so show it directly.
    if (location.hash === hash) this.show();
    else location.hash = hash;
  }

  /**
   * Goes to a hash in place of the current history entry (first load), keeping the path at `/`.
   * @param {string} hash
   */
  enter(hash) {
    history.replaceState(null, '', `/${hash}`);
    this.show();
  }

  /** Shows what the URL names; on every hashchange. */
  show() {
    const route = parseLocation();
    if (route.address === null) {
      // A stray fragment (#, #top): stay on the current inbox.
      if (this.session.inbox !== null) history.replaceState(null, '', `/${inboxHash(this.session.inbox.address)}`);
      return;
    }
    if (this.session.inbox?.address !== route.address) this.session.switchTo(route.address);
    const reading = route.id !== null;
    ui.workspace.classList.toggle('is-reading', reading);
    document.body.classList.toggle('is-reading', reading);
    if (route.id !== null) this.showMessage(route.address, route.id);
    else this.showList();
  }

  /**
   * @param {string} address
   * @param {string} id
   */
  showMessage(address, id) {
    this.list.setActive(id);
    this.list.markRead(id);
    // On one-pane screens the message replaces the list: start it at the top, and remember where the list was.
    if (singlePane.matches && this.view.id === null) {
      this.listScrollY = window.scrollY;
      window.scrollTo({ top: 0 });
    }
    this.view.open(address, id);
  }

  showList() {
    const closing = this.view.id;
    if (singlePane.matches && closing !== null) requestAnimationFrame(() => window.scrollTo({ top: this.listScrollY }));
    const focusWasInMessage = ui.messageView.contains(document.activeElement) || document.activeElement === document.body;
    this.list.setActive(null);
    this.view.close();
    if (closing !== null && focusWasInMessage && !this.list.focusRow(closing)) focusQuietly(ui.heading);
  }
}
