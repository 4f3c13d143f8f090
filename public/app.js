/**
 * Ephemail's page: gets an address (or the one this browser already has),
 * keeps it in localStorage and the URL, and shows its mail live over a
 * WebSocket. An inbox a link opens is shown, marked, for that visit only.
 * This file builds the parts and wires the page's controls; the URL drives
 * the rest (js/router.js).
 */
import { setupAddressPicker } from './js/address/picker.js';
import { setupQrCode } from './js/address/qr.js';
import { announce, copyWithFeedback } from './js/clipboard.js';
import { focusQuietly } from './js/dom.js';
import { language, translateStatic } from './js/i18n/locale.js';
import { setupLanguageSwitcher } from './js/i18n/switcher.js';
import { InboxActions } from './js/inbox/actions.js';
import { MailAlerts } from './js/inbox/alerts.js';
import { showCounts } from './js/inbox/chrome.js';
import { InboxList } from './js/inbox/list.js';
import { InboxSession } from './js/inbox/session.js';
import { MessageView } from './js/message/view.js';
import { ui } from './js/page-elements.js';
import { Router } from './js/router.js';
import { inboxHash, messageHash, parseLocation } from './js/routes.js';

document.documentElement.lang = language;
translateStatic(document);
setupLanguageSwitcher(ui.language);

const list = new InboxList({ list: ui.messageList, emptyState: ui.emptyState, onChange: () => showCounts(list.size, list.unreadCount()) });
const view = new MessageView({ article: ui.messageView, placeholder: ui.messagePlaceholder, onDelete: (id) => actions.deleteMessage(id) });
const alerts = new MailAlerts();
const session = new InboxSession({ list, view, onArrival: (address, summaries) => alerts.arrived(address, summaries) });
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
  // Both buttons hide the note they sit in: focus moves to the address, not to nowhere.
  ui.ownInbox.addEventListener('click', () => actions.openOwnInbox().then(() => focusQuietly(ui.copyAddress)));
  ui.keepAddress.addEventListener('click', () => {
    session.keep();
    focusQuietly(ui.copyAddress);
    announce('This address is now yours: this browser opens it next time.');
  });
  ui.emptyInbox.addEventListener('click', () => ui.confirm.showModal());
  ui.confirm.addEventListener('close', () => {
    // On cancel the dialog hands focus back to the button; once emptied, that button is gone.
    if (ui.confirm.returnValue === 'confirm') actions.emptyInbox().then(() => focusQuietly(ui.heading));
  });
  window.addEventListener('hashchange', () => router.show());
}

/** The inbox a link names (for this visit), else the visitor's own, else a new random one. */
async function openFirstInbox() {
  const route = parseLocation();
  if (route.address !== null) {
    // A path link (/inbox/x) becomes the hash form, so one URL shape is in use.
    router.enter(route.id === null ? inboxHash(route.address) : messageHash(route.address, route.id));
    return;
  }
  if (session.own !== null) {
    router.enter(inboxHash(session.own.address));
    return;
  }
  await actions.createRandom(true);
}

wireControls();
setupQrCode(() => session.inbox?.address ?? null);
session.pollWhileDown();
openFirstInbox();
