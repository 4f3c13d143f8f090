/**
 * The inbox the page follows: its live socket, the list fetched when the
 * socket cannot say, and what is known of the address. One at a time; a
 * switch drops everything of the previous inbox, late answers included.
 * Only an inbox this browser made (or the visitor chose to keep) becomes the
 * visitor's own: one that came by link may belong to whoever sent the link,
 * so it is shown for the visit and never saved. Every own inbox stays listed
 * in the address card until the visitor forgets it.
 */
import { showAddress, showAddressError, showRetention } from '../address/card.js';
import { reasonText } from '../address/reason-text.js';
import { ApiError, api } from '../api.js';
import { announce } from '../clipboard.js';
import { t } from '../i18n/locale.js';
import { showConnection } from './chrome.js';
import { senderName, subjectOf } from '../message/labels.js';
import { connectInbox } from '../socket.js';
import { findOwnInbox, forgetInbox, loadInbox, loadOwnInboxes, saveInbox } from '../storage.js';

/** @typedef {import('../api-types.js').ApiEventFrame} ApiEventFrame */
/** @typedef {import('../api-types.js').ApiInbox} ApiInbox */
/** @typedef {import('../api-types.js').ApiMessageSummary} ApiMessageSummary */
/** @typedef {import('../address/saved-list.js').SavedAddressList} SavedAddressList */
/** @typedef {import('./chrome.js').ConnectionStatus} ConnectionStatus */
/** @typedef {import('./list.js').InboxList} InboxList */
/** @typedef {import('../message/view.js').MessageView} MessageView */
/** @typedef {import('../storage.js').InboxInfo} InboxInfo */

// While the live connection is down, the list is still refreshed now and then,
// so mail keeps arriving even behind a proxy that refuses WebSockets.
const POLL_WHILE_DOWN_MS = 15_000;

/** Follows one inbox at a time into the list and the message view. */
export class InboxSession {
  /**
   * @param {{ list: InboxList, view: MessageView, saved: SavedAddressList, onArrival: (address: string, summaries: ApiMessageSummary[]) => void }} parts
   * `onArrival` hears of mail that arrived while the page was open, newest first
   */
  constructor({ list, view, saved, onArrival }) {
    this.list = list;
    this.view = view;
    this.saved = saved;
    this.onArrival = onArrival;
    /** @type {InboxInfo | null} the inbox on show; null until the first one opens */
    this.inbox = null;
    /** @type {{ close(): void } | null} */
    this.socket = null;
    /** @type {ConnectionStatus} */
    this.status = 'connecting';
    // Bumped on every inbox switch and hello frame: a list fetched before either is stale and dropped.
    this.generation = 0;
    // The server will never take mail for this address: nothing more is asked about it.
    this.unusable = false;
    /** @type {InboxInfo | null} the visitor's own inbox, where "Back to my inbox" goes; null until they have one */
    this.own = loadInbox();
    // The inbox on show came by link: this browser did not make it, so it is marked and not saved.
    this.fromLink = false;
    // The addresses this page made or kept, with what the server said of them: its own even when storage fails.
    /** @type {Map<string, InboxInfo>} */
    this.known = new Map();
  }

  /**
   * Takes an address the server just made for this page as the visitor's
   * own, and keeps what is known of it until the page switches to it.
   * @param {InboxInfo | ApiInbox} info
   * @returns {InboxInfo}
   */
  remember(info) {
    const entry = { address: info.address, public: info.public, ttlSeconds: info.ttlSeconds };
    this.known.set(info.address, entry);
    return entry;
  }

  /** Starts refreshing the list now and then whenever the socket is not live. */
  pollWhileDown() {
    window.setInterval(() => {
      if (this.inbox !== null && this.status !== 'live' && !this.unusable) this.refreshList();
    }, POLL_WHILE_DOWN_MS);
  }

  /**
   * Leaves the current inbox (if any) and follows this one.
   * @param {string} address
   */
  switchTo(address) {
    const own = this.known.get(address) ?? findOwnInbox(address);
    const inbox = { ...(own ?? { address, public: null, ttlSeconds: null }) };
    this.inbox = inbox;
    this.fromLink = own === null;
    if (!this.fromLink) this.adopt(inbox);
    this.closeSocket();
    this.generation++;
    this.unusable = false;
    this.list.reset(address);
    this.view.close();
    this.showCard();
    showAddressError(null);
    showRetention(inbox.ttlSeconds);
    this.refreshList();
    this.socket = connectInbox(api.eventsUrl(address), {
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (status) => this.setStatus(status),
    });
    if (inbox.ttlSeconds === null) this.learnRetention(inbox);
  }

  /** Makes the inbox on show, which came by link, the visitor's own: the explicit "Keep this address". */
  keep() {
    if (this.inbox === null || !this.fromLink) return;
    this.fromLink = false;
    this.adopt(this.inbox);
    this.showCard();
  }

  /**
   * Forgets an own inbox in this browser: it leaves the list, and a link
   * naming it is now treated as any link. Shown still, it becomes such an
   * inbox at once (nothing of it is saved again); the caller moves on.
   * @param {string} address
   */
  forget(address) {
    forgetInbox(address);
    this.known.delete(address);
    if (this.own?.address === address) this.own = loadInbox();
    if (this.inbox?.address !== address) {
      this.showCard();
      return;
    }
    this.fromLink = true;
    this.showSaved();
  }

  /**
   * Makes an inbox the visitor's own: saved, so reopening the page opens it.
   * @param {InboxInfo} inbox
   */
  adopt(inbox) {
    this.own = inbox;
    this.known.set(inbox.address, inbox);
    saveInbox(inbox);
  }

  showCard() {
    if (this.inbox !== null) showAddress(this.inbox, { fromLink: this.fromLink, hasOwnInbox: this.own !== null });
    this.showSaved();
  }

  /**
   * Follows what another tab of this browser saved or forgot: an address
   * forgotten there is no longer this page's own either, so going back to it
   * does not save it again.
   */
  syncFromStorage() {
    const saved = new Set(loadOwnInboxes().map((own) => own.address));
    for (const address of this.known.keys()) {
      if (!saved.has(address)) this.known.delete(address);
    }
    this.own = loadInbox();
    // Forgotten there while on show here: from now on it is shown as any link's inbox, as a forget here does.
    if (this.inbox !== null && !saved.has(this.inbox.address)) this.fromLink = true;
    this.showCard();
  }

  /** Lists the saved addresses. */
  showSaved() {
    this.saved.show(loadOwnInboxes(), this.inbox?.address ?? null);
  }

  closeSocket() {
    this.socket?.close();
    this.socket = null;
  }

  /**
   * An address from a link has no stored lifetime; the server's domain list carries it.
   * @param {InboxInfo} info
   */
  async learnRetention(info) {
    try {
      const { ttlSeconds } = await api.domains();
      if (this.inbox !== info || info.ttlSeconds !== null) return;
      info.ttlSeconds = ttlSeconds;
      if (!this.fromLink) saveInbox(info);
      showRetention(ttlSeconds);
    } catch {
      // The footer keeps its general wording.
    }
  }

  async refreshList() {
    if (this.inbox === null) return;
    const { address } = this.inbox;
    const started = this.generation;
    try {
      const { messages } = await api.listMessages(address);
      // The hello frame is the authority; a list fetched before it may be older.
      if (started !== this.generation || this.status === 'live') return;
      this.applyList(messages);
    } catch (error) {
      if (started !== this.generation || !(error instanceof ApiError) || error.status !== 400) return;
      this.giveUp(error.reason === null ? error.detail : reasonText(error.reason, error.detail));
    }
  }

  /**
   * The server will never take mail for this address: say why, and stop trying.
   * @param {string} reason why, as a sentence
   */
  giveUp(reason) {
    this.unusable = true;
    this.closeSocket();
    this.setStatus('stopped');
    showAddressError(t('address.unusable', { reason }));
  }

  /** @param {ApiMessageSummary[]} messages */
  applyList(messages) {
    const arrived = this.list.replace(messages);
    if (arrived.length > 1) announce(t('announce.newMessages', { count: arrived.length }));
    else if (arrived[0] !== undefined) announceArrival(arrived[0]);
    this.onArrival(this.list.address, arrived);
  }

  /** @param {ApiEventFrame} frame */
  onFrame(frame) {
    switch (frame.type) {
      case 'hello':
        this.generation++;
        this.applyList(Array.isArray(frame.messages) ? frame.messages : []);
        break;
      case 'message':
        if (frame.message && this.list.add(frame.message)) {
          announceArrival(frame.message);
          this.onArrival(this.list.address, [frame.message]);
        }
        break;
      case 'deleted':
      case 'expired':
      case 'evicted':
        this.list.remove(frame.id);
        this.view.gone(frame.id, frame.type);
        break;
      default:
        // Frame types added later are ignored, not fatal.
    }
  }

  /** @param {ConnectionStatus} status */
  setStatus(status) {
    this.status = status;
    showConnection(status);
  }
}

/** @param {ApiMessageSummary} summary */
function announceArrival(summary) {
  announce(t('announce.arrival', { sender: senderName(summary.from), subject: subjectOf(summary) }));
}
