/**
 * Ephemail's page: gets an address (or the one this browser already has),
 * keeps it in localStorage and the URL, and shows its mail live over a
 * WebSocket. Earlier addresses stay listed, with their unread counts, until
 * forgotten. An inbox a link opens is shown, marked, for that visit only.
 * This file builds the parts and wires the page's controls; the URL drives
 * the rest (js/router.js).
 */
import { setupDomainChoice } from './js/address/domain-choice.js';
import { setupForgetDialog } from './js/address/forget-dialog.js';
import { setupAddressPicker } from './js/address/picker.js';
import { setupQrCode } from './js/address/qr.js';
import { SavedAddressList } from './js/address/saved-list.js';
import { UnreadPoller } from './js/address/unread-poller.js';
import { announce, copyWithFeedback } from './js/clipboard.js';
import { focusQuietly } from './js/dom.js';
import { language, t, translateStatic } from './js/i18n/locale.js';
import { setupLanguageSwitcher } from './js/i18n/switcher.js';
import { InboxActions } from './js/inbox/actions.js';
import { MailAlerts } from './js/inbox/alerts.js';
import { showCounts } from './js/inbox/chrome.js';
import { InboxList } from './js/inbox/list.js';
import { InboxSession } from './js/inbox/session.js';
import { closesMessage } from './js/message/escape-key.js';
import { MessageView } from './js/message/view.js';
import { ui } from './js/page-elements.js';
import { Router } from './js/router.js';
import { inboxHash, messageHash, parseLocation } from './js/routes.js';

document.documentElement.lang = language;
translateStatic(document);
setupLanguageSwitcher(ui.language);

const saved = new SavedAddressList({ container: ui.savedAddresses, list: ui.savedList, onForget: (address) => forgetDialog.ask(address) });
const list = new InboxList({ list: ui.messageList, emptyState: ui.emptyState, onChange: onListChange });
const view = new MessageView({ article: ui.messageView, placeholder: ui.messagePlaceholder, onDelete: (id) => actions.deleteMessage(id) });
const alerts = new MailAlerts();
const session = new InboxSession({ list, view, saved, onArrival: (address, summaries) => alerts.arrived(address, summaries) });
const router = new Router({ session, list, view });
const domainChoice = setupDomainChoice({ container: ui.domainChoice, select: ui.newDomain });
// Typed by hand: the view's onDelete refers to it before it exists, which inference cannot follow.
/** @type {InboxActions} */
const actions = new InboxActions({ session, list, view, router, newDomain: domainChoice.preferred });
const picker = setupAddressPicker({
  onChosen(info) {
    router.navigate(inboxHash(session.remember(info).address));
    announce(t('announce.nowUsing', { address: info.address }));
  },
  preferredDomain: domainChoice.preferred,
});
const forgetDialog = setupForgetDialog({ onConfirmed: forget });
const poller = new UnreadPoller({ addresses: () => saved.others(), onCount: (address, unread) => saved.setUnread(address, unread) });

function onListChange() {
  showCounts(list.size, list.unreadCount());
  // The inbox on show counts from its live list; before that list arrives, its last known count stays.
  if (list.filled) saved.setUnread(list.address, list.unreadCount());
}

/**
 * Forgets a saved address; one on show gives way to the newest remaining one.
 * @param {string} address
 */
function forget(address) {
  const focusNext = saved.linkBeside(address);
  const wasOnShow = session.inbox?.address === address;
  session.forget(address);
  announce(t('addresses.forgotten', { address }));
  if (wasOnShow) {
    if (session.own === null) actions.createRandom(false);
    else router.navigate(inboxHash(session.own.address));
  }
  // The forget button went with its row: focus goes to the row beside it, or to the address when that changed or the list is gone.
  focusQuietly(!wasOnShow && focusNext !== null && !ui.savedAddresses.hidden ? focusNext : ui.copyAddress);
}

function wireControls() {
  ui.copyAddress.addEventListener('click', () => session.inbox && copyWithFeedback(ui.copyAddress, session.inbox.address, 'Address'));
  ui.newAddress.addEventListener('click', () => actions.createRandom(false));
  ui.chooseName.addEventListener('click', () => picker.open(ui.chooseName));
  // Both buttons hide the note they sit in: focus moves to the address, not to nowhere.
  ui.ownInbox.addEventListener('click', () => actions.openOwnInbox().then(() => focusQuietly(ui.copyAddress)));
  ui.keepAddress.addEventListener('click', () => {
    session.keep();
    focusQuietly(ui.copyAddress);
    announce(t('announce.kept'));
  });
  ui.emptyInbox.addEventListener('click', () => ui.confirm.showModal());
  ui.confirm.addEventListener('close', () => {
    // On cancel the dialog hands focus back to the button; once emptied, that button is gone.
    if (ui.confirm.returnValue === 'confirm') actions.emptyInbox().then(() => focusQuietly(ui.heading));
  });
  window.addEventListener('hashchange', () => router.show());
  // Another tab made, kept or forgot an address.
  window.addEventListener('storage', () => session.syncFromStorage());
  // Back to the list, as the Inbox link does; the router hands focus back to the message's row.
  document.addEventListener('keydown', (event) => {
    if (view.address !== null && closesMessage(event)) router.navigate(inboxHash(view.address));
  });
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
poller.start();
openFirstInbox();
