/**
 * One open message: who sent it, the verification code big with a Copy
 * button, the likely action link as a button, then HTML, text, headers and
 * the deliverability report in tabs, and the attachments.
 */
import { api, isApiPath } from '../api.js';
import { focusQuietly, h, icon, ICONS } from '../dom.js';
import { t } from '../i18n/locale.js';
import { liveExpiry } from '../live-expiry.js';
import { problemText } from '../problem-text.js';
import { actionLink, codeCard } from './highlights.js';
import { senderName, subjectOf } from './labels.js';
import { attachmentsSection, headersPanel, htmlPanel, textPanel } from './parts.js';
import { reportPanel } from './report-panel.js';
import { inboxHash, messageHash } from '../routes.js';
import { buildTabs } from './tabs.js';
import { fullDate, timeLeft } from '../time.js';

/** @typedef {import('../api-types.js').ApiMailbox} ApiMailbox */
/** @typedef {import('../api-types.js').ApiMessage} ApiMessage */
/** @typedef {import('../api-types.js').ApiRemovalReason} ApiRemovalReason */
/** @typedef {import('../api-types.js').ApiReport} ApiReport */
/** @typedef {import('../dom.js').Children} Children */

/** @type {Record<ApiRemovalReason, string>} */
const GONE_KEYS = {
  deleted: 'message.goneDeleted',
  expired: 'message.goneExpired',
  evicted: 'message.goneEvicted',
};

/** The message pane: one message at a time, or the placeholder. */
export class MessageView {
  /**
   * @param {{ article: HTMLElement, placeholder: HTMLElement, onDelete: (id: string) => Promise<void> }} parts
   */
  constructor({ article, placeholder, onDelete }) {
    this.article = article;
    this.placeholder = placeholder;
    this.onDelete = onDelete;
    /** @type {string | null} */
    this.address = null;
    /** @type {string | null} the open message's id */
    this.id = null;
    /** @type {AbortController | null} */
    this.controller = null;
    /**
     * Reports already fetched, by message hash: each costs the server a
     * worker and DNS lookups, so it is asked for once per page visit.
     * @type {Map<string, ApiReport>}
     */
    this.reports = new Map();
  }

  /**
   * @param {string} address
   * @param {string} id
   */
  isOpen(address, id) {
    return this.address === address && this.id === id;
  }

  /**
   * Loads and shows a message; `focus` moves focus to its subject, as a new page would.
   * @param {string} address
   * @param {string} id
   * @param {{ focus?: boolean }} [options]
   */
  async open(address, id, { focus = true } = {}) {
    if (this.isOpen(address, id)) {
      if (focus) this.focusHeading();
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.address = address;
    this.id = id;
    this.show(h('div', { class: 'message-loading', 'aria-busy': 'true' },
      h('div', { class: 'skeleton skeleton-title' }), h('div', { class: 'skeleton' }), h('div', { class: 'skeleton skeleton-short' }),
      h('span', { class: 'visually-hidden', text: t('message.loading') })));
    try {
      const message = await api.getMessage(address, id, controller.signal);
      if (controller.signal.aborted) return;
      this.show(this.render(message, controller.signal));
    } catch (error) {
      if (controller.signal.aborted) return;
      this.showNotice(problemText(error, 'message.loadFailed'));
    }
    if (focus) this.focusHeading();
  }

  /** Back to the placeholder. */
  close() {
    this.controller?.abort();
    this.controller = null;
    this.address = null;
    this.id = null;
    this.article.replaceChildren();
    this.article.hidden = true;
    this.placeholder.hidden = false;
  }

  /**
   * The open message left the inbox (a live event said so).
   * @param {string} id
   * @param {ApiRemovalReason} reason
   */
  gone(id, reason) {
    if (this.id !== id) return;
    this.controller?.abort();
    this.showNotice(t(GONE_KEYS[reason]));
  }

  /**
   * A message's report, from this visit's earlier answer or else the server.
   * One with a DNS failure is not kept: the server makes it again after 30 s.
   * @param {string} address
   * @param {string} id
   * @param {AbortSignal} signal
   */
  async reportOf(address, id, signal) {
    const key = messageHash(address, id);
    const known = this.reports.get(key);
    if (known !== undefined) return known;
    const report = await api.getReport(address, id, signal);
    const { spf, dkim, dmarc, arc } = report.authentication;
    if (![spf, ...dkim, dmarc, arc].some((verdict) => verdict.result === 'temperror')) this.reports.set(key, report);
    return report;
  }

  focusHeading() {
    focusQuietly(this.article.querySelector('[data-focus-target]'));
  }

  /** @param {Node} content */
  show(content) {
    this.placeholder.hidden = true;
    this.article.hidden = false;
    this.article.replaceChildren(content);
  }

  /** @param {string} text */
  showNotice(text) {
    this.show(h('div', { class: 'message-body' },
      this.toolbar(null),
      h('div', { class: 'gone' },
        h('h2', { class: 'gone-title', tabindex: '-1', 'data-focus-target': '', text }),
        h('a', { class: 'btn btn-secondary', href: inboxHash(this.address ?? '') }, t('message.backToInbox')))));
  }

  /** @param {ApiMessage | null} message null for a notice: nothing to delete or download */
  toolbar(message) {
    const back = h('a', { class: 'btn btn-ghost btn-small back-link', href: inboxHash(this.address ?? '') },
      icon(ICONS.back), h('span', { text: t('message.back') }));
    if (message === null) return h('div', { class: 'message-toolbar' }, back);
    const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text' }, icon(ICONS.trash), h('span', { text: t('message.delete') }));
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await this.onDelete(message.id);
      } finally {
        remove.disabled = false;
      }
    });
    const download = isApiPath(message.rawUrl)
      ? h('a', { class: 'btn btn-ghost btn-small', href: message.rawUrl, download: true }, icon(ICONS.download), h('span', { class: 'label-wide', text: t('message.downloadEml') }))
      : null;
    return h('div', { class: 'message-toolbar' }, back, h('div', { class: 'toolbar-actions' }, download, remove));
  }

  /**
   * @param {ApiMessage} message
   * @param {AbortSignal} signal
   */
  render(message, signal) {
    const inbox = this.address ?? '';
    const from = message.from;
    const date = message.date ?? message.receivedAt;
    const recipients = message.to.length > 0 ? message.to : (message.envelope?.rcptTo ?? []).map((address) => ({ name: '', address }));
    // The subject comes before the toolbar, which the stylesheet draws above it: opening
    // a message focuses the subject, and the next Tab reaches the message's actions.
    return h('div', { class: 'message-body' },
      h('header', { class: 'message-head' },
        h('h2', { class: 'message-subject', tabindex: '-1', 'data-focus-target': '', text: subjectOf(message) }),
        h('dl', { class: 'message-fields' },
          field(t('message.from'), from ? mailboxNodes(from) : senderName(from)),
          field(t('message.to'), recipients.length > 0 ? [
            ...recipients.flatMap((mailbox, index) => [index > 0 ? ', ' : null, ...mailboxNodes(mailbox)]),
            // The summary keeps the first recipients only; the rest are in the raw message.
            message.toOmitted > 0 ? ` ${t('message.moreRecipients', { count: message.toOmitted })}` : null,
          ] : t('message.none')),
          message.cc.length > 0 ? field(t('message.cc'), message.cc.flatMap((mailbox, index) => [index > 0 ? ', ' : null, ...mailboxNodes(mailbox)])) : null,
          field(t('message.date'), h('time', { datetime: date, text: fullDate(date) })),
          field(t('message.expires'), liveExpiry(message.expiresAt, expiryText)))),
      this.toolbar(message),
      problemsNotice(message),
      codeCard(message.codes),
      // With a code on show, the link is the second choice and looks it.
      actionLink(message.links, message.codes.length > 0 ? 'btn-secondary' : 'btn-primary'),
      bodyTabs(message, signal, () => this.reportOf(inbox, message.id, signal)),
      attachmentsSection(message));
  }
}

/**
 * The value beside "Expires": "in 1 min 30 s", or "now" once no time is left.
 * @param {string} expiresAt
 * @param {number} now
 */
function expiryText(expiresAt, now) {
  const left = timeLeft(expiresAt, now);
  return left === null ? t('message.expiresNow') : t('message.expiresIn', { duration: left });
}

/**
 * @param {string} label
 * @param {Children} value
 */
function field(label, value) {
  return h('div', { class: 'field-row' }, h('dt', { text: label }), h('dd', {}, value));
}

/**
 * "Name <address>" as text nodes, the address quieter.
 * @param {ApiMailbox} mailbox
 */
function mailboxNodes(mailbox) {
  const name = mailbox.name.trim();
  if (name === '') return [h('span', { class: 'mailbox-address', text: mailbox.address })];
  return [h('span', { class: 'mailbox-name', text: name }), ' ', h('span', { class: 'mailbox-address muted', text: `<${mailbox.address}>` })];
}

/** @param {ApiMessage} message */
function problemsNotice(message) {
  const problems = [...message.problems];
  if (message.parseFailed) problems.unshift(t('message.parseFailed'));
  if (problems.length === 0) return null;
  return h('div', { class: 'notice notice-warning', role: 'note' },
    icon(ICONS.warning), h('ul', { class: 'plain-list' }, problems.map((problem) => h('li', { text: problem }))));
}

/**
 * @param {ApiMessage} message
 * @param {AbortSignal} signal
 * @param {() => Promise<ApiReport>} loadReport
 */
function bodyTabs(message, signal, loadReport) {
  const html = isApiPath(message.htmlUrl) ? [{ key: 'html', label: t('message.tabHtml'), panel: htmlPanel(message.htmlUrl, signal) }] : [];
  const report = reportPanel(loadReport);
  const tabs = [
    ...html,
    { key: 'text', label: t('message.tabText'), panel: textPanel(message) },
    { key: 'headers', label: t('message.tabHeaders'), panel: headersPanel(message) },
    { key: 'report', label: t('report.tab'), panel: report.panel, onShow: report.show },
  ];
  return buildTabs(t('message.views'), tabs, html.length > 0 ? 'html' : 'text').element;
}
