/**
 * The message list: fed by the hello frame (the whole list) and by live
 * events (one message added or removed). It keeps rows in the DOM across
 * updates, so a row the person has focused stays focused while mail arrives.
 */
import { copyWithFeedback } from './clipboard.js';
import { append, focusQuietly, h, icon, ICONS } from './dom.js';
import { messageHash } from './routes.js';
import { loadReadIds, saveReadIds } from './storage.js';
import { expiresIn, fullDate, receivedAgo } from './time.js';

// Times in rows are minutes; refreshing twice a minute keeps them honest.
const TICK_MS = 30_000;

/** @typedef {import('./api-types.js').ApiMailbox} ApiMailbox */
/** @typedef {import('./api-types.js').ApiMessageSummary} ApiMessageSummary */

/**
 * The sender as people know them: the display name, else the address.
 * @param {ApiMailbox | null | undefined} from
 */
export function senderName(from) {
  if (from === null || from === undefined) return 'Unknown sender';
  return from.name.trim() || from.address || 'Unknown sender';
}

/**
 * The subject, or a stand-in when it is empty.
 * @param {{ subject: string }} summary
 */
export function subjectOf(summary) {
  return summary.subject.trim() || '(no subject)';
}

/** The inbox pane's list of messages, newest first, with read marks and live times. */
export class InboxList {
  /**
   * @param {{ list: HTMLUListElement, emptyState: HTMLElement, onChange: () => void }} parts
   */
  constructor({ list, emptyState, onChange }) {
    this.list = list;
    this.emptyState = emptyState;
    this.onChange = onChange;
    this.address = '';
    /** @type {Map<string, ApiMessageSummary>} */
    this.messages = new Map();
    /** @type {Map<string, HTMLLIElement>} */
    this.rows = new Map();
    /** @type {Set<string>} */
    this.readIds = new Set();
    /** @type {string | null} */
    this.activeId = null;
    this.filled = false;
    list.addEventListener('keydown', (event) => this.onKeyDown(event));
    window.setInterval(() => this.tick(), TICK_MS);
  }

  /**
   * Empties the list for another inbox.
   * @param {string} address
   */
  reset(address) {
    this.address = address;
    this.messages.clear();
    for (const row of this.rows.values()) row.remove();
    this.rows.clear();
    this.readIds = loadReadIds(address);
    this.activeId = null;
    this.filled = false;
    this.render();
  }

  /**
   * Replaces the list (hello frame or a fetched list).
   * @param {ApiMessageSummary[]} summaries
   * @returns {ApiMessageSummary[]} messages that were not known before, once the list had been filled once
   */
  replace(summaries) {
    const known = new Set(this.messages.keys());
    const wasFilled = this.filled;
    this.messages = new Map(summaries.map((summary) => [summary.id, summary]));
    this.filled = true;
    // Read marks of messages that are gone are dropped, so storage never grows.
    const kept = new Set([...this.readIds].filter((id) => this.messages.has(id)));
    if (kept.size !== this.readIds.size) {
      this.readIds = kept;
      saveReadIds(this.address, kept);
    }
    this.render();
    return wasFilled ? summaries.filter((summary) => !known.has(summary.id)) : [];
  }

  /**
   * Adds a message that arrived.
   * @param {ApiMessageSummary} summary
   * @returns {boolean} true when the message is new to the list
   */
  add(summary) {
    if (this.messages.has(summary.id)) return false;
    this.messages.set(summary.id, summary);
    this.render();
    return true;
  }

  /** @param {string} id */
  remove(id) {
    if (!this.messages.delete(id)) return;
    this.render();
  }

  get size() {
    return this.messages.size;
  }

  unreadCount() {
    let count = 0;
    for (const id of this.messages.keys()) if (!this.readIds.has(id)) count++;
    return count;
  }

  /** @param {string} id */
  markRead(id) {
    if (this.readIds.has(id)) return;
    this.readIds.add(id);
    saveReadIds(this.address, this.readIds);
    const row = this.rows.get(id);
    const summary = this.messages.get(id);
    if (row !== undefined && summary !== undefined) this.fillRow(row, summary);
    this.onChange();
  }

  /**
   * Marks the open message's row.
   * @param {string | null} id
   */
  setActive(id) {
    this.activeId = id;
    for (const [rowId, row] of this.rows) {
      const link = row.querySelector('a');
      row.classList.toggle('is-active', rowId === id);
      if (rowId === id) link?.setAttribute('aria-current', 'true');
      else link?.removeAttribute('aria-current');
    }
  }

  /**
   * Focuses a message's row, e.g. when its message is closed.
   * @param {string | null} id
   * @returns {boolean} false when the row is not there
   */
  focusRow(id) {
    const link = id === null ? null : this.rows.get(id)?.querySelector('a');
    if (link) focusQuietly(link);
    return Boolean(link);
  }

  /** Updates relative times and drops messages whose time is up, even if no event says so. */
  tick() {
    const now = Date.now();
    let expired = false;
    for (const [id, summary] of this.messages) {
      if (Date.parse(summary.expiresAt) <= now) {
        this.messages.delete(id);
        expired = true;
      }
    }
    if (expired) {
      this.render();
      return;
    }
    for (const [id, row] of this.rows) this.fillTimes(row, this.messages.get(id), now);
  }

  ordered() {
    return [...this.messages.values()].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
  }

  render() {
    const ordered = this.ordered();
    const focused = document.activeElement;
    const focusedIndex = [...this.list.children].findIndex((row) => row.contains(focused));
    for (const [id, row] of this.rows) {
      if (this.messages.has(id)) continue;
      row.remove();
      this.rows.delete(id);
    }
    // Insert new rows in place without moving existing ones: moving a focused node would blur it.
    let cursor = this.list.firstElementChild;
    for (const summary of ordered) {
      let row = this.rows.get(summary.id);
      if (row === undefined) {
        row = this.createRow(summary);
        this.rows.set(summary.id, row);
        this.list.insertBefore(row, cursor);
      } else if (row === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.list.insertBefore(row, cursor);
      }
    }
    // A focused row that left (expired, deleted elsewhere) hands focus to the row now in its place.
    if (focusedIndex >= 0 && !this.list.contains(document.activeElement)) {
      const rows = this.list.children;
      const target = rows[Math.min(focusedIndex, rows.length - 1)]?.querySelector('a');
      focusQuietly(target ?? document.getElementById('inbox-heading'));
    }
    this.list.hidden = ordered.length === 0;
    this.emptyState.hidden = ordered.length !== 0 || !this.filled;
    this.setActive(this.activeId);
    this.onChange();
  }

  /** @param {ApiMessageSummary} summary */
  createRow(summary) {
    const row = h('li', { class: 'message-row', dataset: { id: summary.id } });
    const link = h('a', { class: 'message-link', href: messageHash(this.address, summary.id) });
    row.append(link);
    const code = summary.codes[0];
    if (typeof code === 'string' && code !== '') {
      // Outside the link (no nested controls): the code is one click from the clipboard, straight from the list.
      const chip = h('button', { type: 'button', class: 'code-chip', 'aria-label': `Copy code ${code}`, title: 'Copy code' },
        icon(ICONS.copy), h('span', { class: 'btn-label', text: code }));
      chip.addEventListener('click', () => copyWithFeedback(chip, code, 'Code'));
      row.append(chip);
      row.classList.add('has-code');
    }
    this.fillRow(row, summary);
    return row;
  }

  /**
   * @param {HTMLLIElement} row
   * @param {ApiMessageSummary} summary
   */
  fillRow(row, summary) {
    const unread = !this.readIds.has(summary.id);
    row.classList.toggle('is-unread', unread);
    const link = row.querySelector('a');
    if (link === null) return;
    const from = senderName(summary.from);
    // Through append, which skips a missing preview: replaceChildren would write it as the text "null".
    link.replaceChildren();
    append(link, [
      h('span', { class: 'row-top' },
        h('span', { class: 'row-from', title: summary.from ? summary.from.address : null },
          unread ? h('span', { class: 'unread-dot' }, h('span', { class: 'visually-hidden', text: 'Unread: ' })) : null,
          from),
        h('time', { class: 'row-time', datetime: summary.receivedAt, title: fullDate(summary.receivedAt) })),
      h('span', { class: 'row-subject', text: subjectOf(summary) }),
      summary.preview ? h('span', { class: 'row-preview', text: summary.preview }) : null,
      h('span', { class: 'row-meta' },
        h('span', { class: 'row-expiry' }),
        summary.attachmentCount > 0
          ? h('span', { class: 'row-attachments' }, icon(ICONS.paperclip),
            `${summary.attachmentCount} attachment${summary.attachmentCount === 1 ? '' : 's'}`)
          : null),
    ]);
    this.fillTimes(row, summary, Date.now());
  }

  /**
   * @param {HTMLLIElement} row
   * @param {ApiMessageSummary | undefined} summary
   * @param {number} now
   */
  fillTimes(row, summary, now) {
    if (summary === undefined) return;
    const time = row.querySelector('.row-time');
    const expiry = row.querySelector('.row-expiry');
    if (time) time.textContent = receivedAgo(summary.receivedAt, now);
    if (expiry) expiry.textContent = expiresIn(summary.expiresAt, now);
    const soon = Date.parse(summary.expiresAt) - now < 5 * 60_000;
    expiry?.classList.toggle('is-soon', soon);
  }

  /** Arrow keys, Home and End move between rows, so a long list is not a long Tab walk. */
  /** @param {KeyboardEvent} event */
  onKeyDown(event) {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const links = [.../** @type {NodeListOf<HTMLAnchorElement>} */ (this.list.querySelectorAll('a.message-link'))];
    const index = links.findIndex((link) => link === document.activeElement || link.parentElement?.contains(document.activeElement));
    if (index < 0) return;
    const next = event.key === 'Home' ? 0
      : event.key === 'End' ? links.length - 1
        : Math.min(links.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    links[next]?.focus();
  }
}
