/**
 * The message list: fed by the hello frame (the whole list) and by live
 * events (one message added or removed). It keeps rows in the DOM across
 * updates, so a row the person has focused stays focused while mail arrives.
 */
import { focusQuietly } from '../dom.js';
import { createRow, fillRow, fillTimes, nextTimesChange } from './row.js';
import { messageHash } from '../routes.js';
import { loadReadIds, saveReadIds } from '../storage.js';

/** @typedef {import('../api-types.js').ApiMessageSummary} ApiMessageSummary */

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
    // One timer for the whole list, set for the soonest moment a row reads differently (scheduleTick).
    this.timer = 0;
    list.addEventListener('keydown', (event) => this.onKeyDown(event));
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

  /**
   * Drops a message that left the inbox.
   * @param {string} id
   */
  remove(id) {
    if (!this.messages.delete(id)) return;
    this.render();
  }

  /** How many messages are listed. */
  get size() {
    return this.messages.size;
  }

  /** How many of them this browser has not opened. */
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
    if (row !== undefined && summary !== undefined) fillRow(row, summary, false);
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
    if (expired) this.render();
    for (const [id, row] of this.rows) {
      const summary = this.messages.get(id);
      if (summary !== undefined) fillTimes(row, summary, now);
    }
    this.scheduleTick(now);
  }

  /**
   * Sets the list's timer for the soonest moment a row's text changes or its
   * message expires: each second only while a message is in its last minutes.
   * @param {number} now
   */
  scheduleTick(now) {
    window.clearTimeout(this.timer);
    let soonest = Infinity;
    for (const summary of this.messages.values()) soonest = Math.min(soonest, nextTimesChange(summary, now));
    if (soonest !== Infinity) this.timer = window.setTimeout(() => this.tick(), soonest);
  }

  ordered() {
    return [...this.messages.values()].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
  }

  /** Brings the rows in line with the messages, keeping focus where the person left it. */
  render() {
    const ordered = this.ordered();
    const focused = document.activeElement;
    const focusedIndex = [...this.list.children].findIndex((row) => row.contains(focused));
    this.removeGoneRows();
    this.placeRows(ordered);
    // A focused row that left (expired, deleted elsewhere) hands focus to the row now in its place.
    if (focusedIndex >= 0 && !this.list.contains(document.activeElement)) {
      const rows = this.list.children;
      const target = rows[Math.min(focusedIndex, rows.length - 1)]?.querySelector('a');
      focusQuietly(target ?? document.getElementById('inbox-heading'));
    }
    this.list.hidden = ordered.length === 0;
    this.emptyState.hidden = ordered.length !== 0 || !this.filled;
    this.setActive(this.activeId);
    this.scheduleTick(Date.now());
    this.onChange();
  }

  removeGoneRows() {
    for (const [id, row] of this.rows) {
      if (this.messages.has(id)) continue;
      row.remove();
      this.rows.delete(id);
    }
  }

  /**
   * Inserts new rows in place without moving existing ones: moving a focused node would blur it.
   * @param {ApiMessageSummary[]} ordered the messages, newest first
   */
  placeRows(ordered) {
    let cursor = this.list.firstElementChild;
    for (const summary of ordered) {
      let row = this.rows.get(summary.id);
      if (row === undefined) {
        row = createRow(summary, messageHash(this.address, summary.id), !this.readIds.has(summary.id));
        this.rows.set(summary.id, row);
        this.list.insertBefore(row, cursor);
      } else if (row === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.list.insertBefore(row, cursor);
      }
    }
  }

  /**
   * Arrow keys, Home and End move between rows, so a long list is not a long Tab walk.
   * @param {KeyboardEvent} event
   */
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
