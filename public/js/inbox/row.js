/**
 * One row of the message list: a link to the message (sender, time,
 * subject, preview, expiry, attachments) and, outside it, the code chip.
 */
import { copyWithFeedback } from '../clipboard.js';
import { append, h, icon, ICONS } from '../dom.js';
import { t } from '../i18n/locale.js';
import { senderName, subjectOf } from '../message/labels.js';
import { expiresIn, fullDate, nextExpiryChange, receivedAgo } from '../time.js';

/** @typedef {import('../api-types.js').ApiMessageSummary} ApiMessageSummary */

// Under this much time left, the expiry stands out.
const SOON_MS = 5 * 60_000;
// "Received 3 min ago" changes each minute, and becomes a date after a day.
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * A new row for a message.
 * @param {ApiMessageSummary} summary
 * @param {string} href the message's URL
 * @param {boolean} unread
 */
export function createRow(summary, href, unread) {
  const row = h('li', { class: 'message-row', dataset: { id: summary.id } });
  row.append(h('a', { class: 'message-link', href }));
  const code = summary.codes[0];
  if (typeof code === 'string' && code !== '') {
    // Outside the link (no nested controls): the code is one click from the clipboard, straight from the list.
    const chip = h('button', { type: 'button', class: 'code-chip', 'aria-label': t('message.copyThisCode', { code }), title: t('message.copyCode') },
      icon(ICONS.copy), h('span', { class: 'btn-label', text: code }));
    chip.addEventListener('click', () => copyWithFeedback(chip, code, 'Code'));
    row.append(chip);
    row.classList.add('has-code');
  }
  fillRow(row, summary, unread);
  return row;
}

/**
 * Redraws a row's link, e.g. once the message has been read.
 * @param {HTMLLIElement} row
 * @param {ApiMessageSummary} summary
 * @param {boolean} unread
 */
export function fillRow(row, summary, unread) {
  row.classList.toggle('is-unread', unread);
  const link = row.querySelector('a');
  if (link === null) return;
  // Through append, which skips a missing preview: replaceChildren would write it as the text "null".
  link.replaceChildren();
  append(link, [
    h('span', { class: 'row-top' },
      h('span', { class: 'row-from', title: summary.from ? summary.from.address : null },
        unread ? h('span', { class: 'unread-dot' }, h('span', { class: 'visually-hidden', text: `${t('inbox.unreadMark')} ` })) : null,
        senderName(summary.from)),
      h('time', { class: 'row-time', datetime: summary.receivedAt, title: fullDate(summary.receivedAt) })),
    h('span', { class: 'row-subject', text: subjectOf(summary) }),
    summary.preview ? h('span', { class: 'row-preview', text: summary.preview }) : null,
    h('span', { class: 'row-meta' },
      h('span', { class: 'row-expiry' }),
      summary.attachmentCount > 0
        ? h('span', { class: 'row-attachments' }, icon(ICONS.paperclip),
          t('inbox.attachmentCount', { count: summary.attachmentCount }))
        : null),
  ]);
  fillTimes(row, summary, Date.now());
}

/**
 * Brings a row's relative times up to `now`.
 * @param {HTMLLIElement} row
 * @param {ApiMessageSummary} summary
 * @param {number} now
 */
export function fillTimes(row, summary, now) {
  const time = row.querySelector('.row-time');
  const expiry = row.querySelector('.row-expiry');
  if (time) time.textContent = receivedAgo(summary.receivedAt, now);
  if (expiry) expiry.textContent = expiresIn(summary.expiresAt, now);
  expiry?.classList.toggle('is-soon', Date.parse(summary.expiresAt) - now < SOON_MS);
}

/**
 * How soon a row's times read differently, or its message expires: the list
 * sets its one timer by the soonest row.
 * @param {ApiMessageSummary} summary
 * @param {number} now
 * @returns {number} milliseconds; Infinity when neither time will change
 */
export function nextTimesChange(summary, now) {
  const ago = now - Date.parse(summary.receivedAt);
  const receivedChange = ago < DAY_MS ? MINUTE_MS - (ago % MINUTE_MS) : Infinity;
  return Math.min(receivedChange, nextExpiryChange(summary.expiresAt, now));
}
