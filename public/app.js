/**
 * Ephemail's page: gets an address (or the one this browser already has),
 * keeps it in localStorage and the URL, and shows its mail live over a
 * WebSocket. This file builds the parts and wires the page's controls; the
 * URL drives the rest (js/router.js).
 */
import { setupAddressPicker } from './js/address/picker.js';
import { announce, copyWithFeedback } from './js/clipboard.js';
import { focusQuietly } from './js/dom.js';
import { InboxActions } from './js/inbox/actions.js';
import { showCounts } from './js/inbox/chrome.js';
import { InboxList } from './js/inbox/list.js';
import { InboxSession } from './js/inbox/session.js';
import { MessageView } from './js/message/view.js';
import { ui } from './js/page-elements.js';
import { Router } from './js/router.js';
import { inboxHash, messageHash, parseLocation } from './js/routes.js';
import { loadInbox } from './js/storage.js';

const list = new InboxList({ list: ui.messageList, emptyState: ui.emptyState, onChange: () => showCounts(list.size, list.unreadCount()) });
const view = new MessageView({ article: ui.messageView, placeholder: ui.messagePlaceholder, onDelete: (id) => actions.deleteMessage(id) });
const session = new InboxSession({ list, view });
const router = new Router({ session, list, view });
// Typed by hand: the view's onDelete refers to it before it exists, which inference cannot follow.
/** @type {InboxActions} */
const actions = new InboxActions({ session, list, view, router });
const picker = setupAddressPicker({
  onChosen(info) {
    router.navigate(inboxHash(session.remember(info).address));
    announce(`Now using ${info.address}`);
  },
});

function wireControls() {
  ui.copyAddress.addEventListener('click', () => session.inbox && copyWithFeedback(ui.copyAddress, session.inbox.address, 'Address'));
  ui.newAddress.addEventListener('click', () => actions.createRandom(false));
  ui.chooseName.addEventListener('click', () => picker.open(ui.chooseName));
  ui.emptyInbox.addEventListener('click', () => ui.confirm.showModal());
  ui.confirm.addEventListener('close', () => {
    // On cancel the dialog hands focus back to the button; once emptied, that button is gone.
    if (ui.confirm.returnValue === 'confirm') actions.emptyInbox().then(() => focusQuietly(ui.heading));
  });
  window.addEventListener('hashchange', () => router.show());
}

/** The inbox a link names, else the one this browser used last, else a new random one. */
async function openFirstInbox() {
  const route = parseLocation();
  if (route.address !== null) {
    // A path link (/inbox/x) becomes the hash form, so one URL shape is in use.
    router.enter(route.id === null ? inboxHash(route.address) : messageHash(route.address, route.id));
    return;
  }
  const stored = loadInbox();
  if (stored !== null) {
    session.remember(stored);
    router.enter(inboxHash(stored.address));
    return;
  }
  await actions.createRandom(true);
}

wireControls();
session.pollWhileDown();
openFirstInbox();
