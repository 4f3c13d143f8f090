/**
 * Ephemail's page: gets an address (or the one this browser already has),
 * keeps it in localStorage and the URL, and shows its mail live over a
 * WebSocket. The URL hash is the state (see js/routes.js); every change of
 * inbox or message goes through it, so Back, bookmarks and tabs agree.
 */
import { setupAddressPicker } from './js/address-picker.js';
import { ApiError, api } from './js/api.js';
import { announce, copyWithFeedback } from './js/clipboard.js';
import { focusQuietly, h } from './js/dom.js';
import { InboxList, senderName, subjectOf } from './js/inbox-list.js';
import { MessageView } from './js/message-view.js';
import { ui } from './js/page-elements.js';
import { inboxHash, messageHash, parseLocation } from './js/routes.js';
import { connectInbox } from './js/socket.js';
import { loadInbox, saveInbox } from './js/storage.js';
import { retention } from './js/time.js';

/** @typedef {import('./js/api-types.js').ApiEventFrame} ApiEventFrame */
/** @typedef {import('./js/api-types.js').ApiInbox} ApiInbox */
/** @typedef {import('./js/api-types.js').ApiMessageSummary} ApiMessageSummary */
/** @typedef {import('./js/storage.js').InboxInfo} InboxInfo */
/** @typedef {import('./js/socket.js').SocketStatus} SocketStatus */
/** @typedef {SocketStatus | 'stopped'} ConnectionStatus */

// While the live connection is down, the list is still refreshed now and then,
// so mail keeps arriving even behind a proxy that refuses WebSockets.
const POLL_WHILE_DOWN_MS = 15_000;
const TITLE = 'Ephemail — disposable inbox';
/** @type {Record<ConnectionStatus, string>} */
const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Offline' };

/** @type {InboxInfo | null} */
let inbox = null;
/** @type {{ close(): void } | null} */
let socket = null;
/** @type {ConnectionStatus} */
let status = 'connecting';
// Bumped on every inbox switch and hello frame: a list fetched before either is stale and dropped.
let generation = 0;
let unusable = false;
// What the server told us about addresses it made, for when the URL switches to them.
/** @type {Map<string, InboxInfo>} */
const known = new Map();
// Matches the stylesheet's breakpoint where list and message take turns.
const singlePane = window.matchMedia('(max-width: 820px)');
let listScrollY = 0;

const list = new InboxList({ list: ui.messageList, emptyState: ui.emptyState, onChange: updateChrome });
const view = new MessageView({ article: ui.messageView, placeholder: ui.messagePlaceholder, onDelete: deleteMessage });
const picker = setupAddressPicker({
  onChosen(info) {
    navigate(inboxHash(remember(info).address));
    announce(`Now using ${info.address}`);
  },
});

/**
 * @param {InboxInfo | ApiInbox} info
 * @returns {InboxInfo}
 */
function remember(info) {
  const entry = { address: info.address, public: info.public, ttlSeconds: info.ttlSeconds };
  known.set(info.address, entry);
  return entry;
}

/** @param {string} hash */
function navigate(hash) {
  // Same hash: no hashchange event would fire, so apply it directly.
  if (location.hash === hash) applyRoute();
  else location.hash = hash;
}

/**
 * Replaces the current history entry (first load), keeping the path at `/`.
 * @param {string} hash
 */
function replaceRoute(hash) {
  history.replaceState(null, '', `/${hash}`);
}

async function start() {
  ui.copyAddress.addEventListener('click', () => inbox && copyWithFeedback(ui.copyAddress, inbox.address, 'Address'));
  ui.newAddress.addEventListener('click', () => createRandom(false));
  ui.chooseName.addEventListener('click', () => picker.open(ui.chooseName));
  ui.emptyInbox.addEventListener('click', () => ui.confirm.showModal());
  ui.confirm.addEventListener('close', () => {
    // On cancel the dialog hands focus back to the button; once emptied, that button is gone.
    if (ui.confirm.returnValue === 'confirm') emptyInbox().then(() => focusQuietly(ui.heading));
  });
  window.addEventListener('hashchange', () => applyRoute());
  window.setInterval(() => {
    if (inbox !== null && status !== 'live' && !unusable) refreshList();
  }, POLL_WHILE_DOWN_MS);

  const route = parseLocation();
  if (route.address !== null) {
    // A path link (/inbox/x) becomes the hash form, so one URL shape is in use.
    replaceRoute(route.id === null ? inboxHash(route.address) : messageHash(route.address, route.id));
    applyRoute();
    return;
  }
  const stored = loadInbox();
  if (stored !== null) {
    remember(stored);
    replaceRoute(inboxHash(stored.address));
    applyRoute();
    return;
  }
  await createRandom(true);
}

/** @param {boolean} firstVisit */
async function createRandom(firstVisit) {
  ui.newAddress.disabled = true;
  try {
    const info = remember(await api.createInbox());
    if (firstVisit) {
      replaceRoute(inboxHash(info.address));
      applyRoute();
    } else {
      navigate(inboxHash(info.address));
      announce(`New address: ${info.address}`);
    }
  } catch (error) {
    showAddressError(error instanceof ApiError ? error.detail : 'No address could be made; reload to try again.');
  } finally {
    ui.newAddress.disabled = false;
  }
}

function applyRoute() {
  const route = parseLocation();
  if (route.address === null) {
    // A stray fragment (#, #top): stay on the current inbox.
    if (inbox !== null) replaceRoute(inboxHash(inbox.address));
    return;
  }
  if (inbox?.address !== route.address) switchInbox(route.address);
  const { id } = route;
  const reading = id !== null;
  ui.workspace.classList.toggle('is-reading', reading);
  document.body.classList.toggle('is-reading', reading);
  if (reading) {
    list.setActive(id);
    list.markRead(id);
    // On one-pane screens the message replaces the list: start it at the top, and remember where the list was.
    if (singlePane.matches && view.id === null) {
      listScrollY = window.scrollY;
      window.scrollTo({ top: 0 });
    }
    view.open(route.address, id);
    return;
  }
  const closing = view.id;
  if (singlePane.matches && closing !== null) requestAnimationFrame(() => window.scrollTo({ top: listScrollY }));
  const focusWasInMessage = ui.messageView.contains(document.activeElement) || document.activeElement === document.body;
  list.setActive(null);
  view.close();
  if (closing !== null && focusWasInMessage && !list.focusRow(closing)) focusQuietly(ui.heading);
}

/** @param {string} address */
function switchInbox(address) {
  const stored = loadInbox();
  const current = { ...(known.get(address) ?? (stored?.address === address ? stored : { address, public: null, ttlSeconds: null })) };
  inbox = current;
  saveInbox(current);
  socket?.close();
  socket = null;
  generation++;
  unusable = false;
  list.reset(address);
  view.close();
  showAddress(current);
  showAddressError(null);
  showRetention();
  refreshList();
  socket = connectInbox(api.eventsUrl(address), { onFrame, onStatus });
  if (current.ttlSeconds === null) learnRetention(current);
}

/** @param {InboxInfo} info */
function showAddress(info) {
  const at = info.address.lastIndexOf('@');
  // A break opportunity after the @, so a long address wraps where people expect.
  ui.address.replaceChildren(
    h('span', { class: 'address-local', text: info.address.slice(0, at) }),
    h('span', { class: 'address-domain' }, '@', h('wbr'), info.address.slice(at + 1)));
  ui.emptyAddress.textContent = info.address;
  ui.publicNote.hidden = info.public !== true;
  ui.copyAddress.disabled = false;
}

/** @param {string | null} text */
function showAddressError(text) {
  ui.addressError.hidden = text === null;
  ui.addressError.textContent = text ?? '';
}

function showRetention() {
  const seconds = inbox?.ttlSeconds ?? null;
  ui.retention.textContent = seconds === null
    ? 'Mail is kept for a limited time after it arrives, then deleted for good.'
    : `Mail is kept for ${retention(seconds)} after it arrives, then deleted for good.`;
}

/**
 * An address from a link has no stored lifetime; the server's domain list carries it.
 * @param {InboxInfo} info
 */
async function learnRetention(info) {
  try {
    const { ttlSeconds } = await api.domains();
    if (inbox !== info || info.ttlSeconds !== null) return;
    info.ttlSeconds = ttlSeconds;
    saveInbox(info);
    showRetention();
  } catch {
    // The footer keeps its general wording.
  }
}

async function refreshList() {
  if (inbox === null) return;
  const { address } = inbox;
  const started = generation;
  try {
    const { messages } = await api.listMessages(address);
    // The hello frame is the authority; a list fetched before it may be older.
    if (started !== generation || status === 'live') return;
    applyList(messages);
  } catch (error) {
    if (started !== generation || !(error instanceof ApiError) || error.status !== 400) return;
    // The server will never take mail for this address: say why, and stop trying.
    unusable = true;
    socket?.close();
    socket = null;
    onStatus('stopped');
    showAddressError(`${error.detail} Press “New address” to get one that works.`);
  }
}

/** @param {ApiMessageSummary[]} messages */
function applyList(messages) {
  const arrived = list.replace(messages);
  if (arrived.length > 1) announce(`${arrived.length} new messages.`);
  else if (arrived[0] !== undefined) announceArrival(arrived[0]);
}

/** @param {ApiEventFrame} frame */
function onFrame(frame) {
  switch (frame.type) {
    case 'hello':
      generation++;
      applyList(Array.isArray(frame.messages) ? frame.messages : []);
      break;
    case 'message':
      if (frame.message && list.add(frame.message)) announceArrival(frame.message);
      break;
    case 'deleted':
    case 'expired':
    case 'evicted':
      list.remove(frame.id);
      view.gone(frame.id, frame.type);
      break;
    default:
      // Frame types added later are ignored, not fatal.
  }
}

/** @param {ApiMessageSummary} summary */
function announceArrival(summary) {
  announce(`New message from ${senderName(summary.from)}: ${subjectOf(summary)}`);
}

/** @param {ConnectionStatus} next */
function onStatus(next) {
  status = next;
  ui.connection.dataset.state = next;
  ui.connectionText.textContent = STATUS_TEXT[next];
}

function updateChrome() {
  const total = list.size;
  const unread = list.unreadCount();
  ui.count.textContent = total === 0 ? '' : String(total);
  ui.count.setAttribute('aria-label', `${total} message${total === 1 ? '' : 's'}, ${unread} unread`);
  ui.emptyInbox.hidden = total === 0;
  // The tab title shows unread mail when the tab is in the background.
  document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
}

/** @param {string} id */
async function deleteMessage(id) {
  if (inbox === null) return;
  try {
    await api.deleteMessage(inbox.address, id);
  } catch (error) {
    // Already gone is what the person wanted anyway.
    if (!(error instanceof ApiError && error.status === 404)) {
      announce(error instanceof ApiError ? error.detail : 'The message could not be deleted.');
      return;
    }
  }
  list.remove(id);
  announce('Message deleted.');
  navigate(inboxHash(inbox.address));
}

async function emptyInbox() {
  if (inbox === null) return;
  try {
    await api.emptyInbox(inbox.address);
  } catch (error) {
    announce(error instanceof ApiError ? error.detail : 'The inbox could not be emptied.');
    return;
  }
  list.replace([]);
  announce('Inbox emptied.');
  if (view.id !== null) navigate(inboxHash(inbox.address));
}

start();
