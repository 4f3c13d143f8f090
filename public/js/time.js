/**
 * Human times and sizes in the page's language, short enough for a 360 px
 * row. Units and numbers come from Intl, so "1 min 30 s" reads right in
 * every language; the sentences around them come from the translations.
 */
import { language, t } from './i18n/locale.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Within this much of the end, seconds count: "expires in 1 min 30 s", not "2 min".
const PRECISE_BELOW = 10 * MINUTE;

/** @typedef {'second' | 'minute' | 'hour' | 'day'} Unit */

const UNITS = /** @type {const} */ (['second', 'minute', 'hour', 'day', 'byte', 'kilobyte', 'megabyte', 'gigabyte']);
// Made once: a handful of formats, each used on every redraw of the list.
const unitFormats = Object.freeze(Object.fromEntries(UNITS.flatMap((unit) => ['short', 'long'].map((display) => [
  `${unit}:${display}`,
  new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: /** @type {'short' | 'long'} */ (display), maximumFractionDigits: 1 }),
]))));

/**
 * "3 min", "1 h", "30 s" in the page's language.
 * @param {number} value
 * @param {Unit | 'byte' | 'kilobyte' | 'megabyte' | 'gigabyte'} unit
 * @param {'short' | 'long'} [display]
 */
function inUnit(value, unit, display = 'short') {
  const format = unitFormats[`${unit}:${display}`];
  return format === undefined ? String(value) : format.format(value);
}

/**
 * @param {number} big
 * @param {Unit} bigUnit
 * @param {number} small
 * @param {Unit} smallUnit
 */
function twoUnits(big, bigUnit, small, smallUnit) {
  return small === 0 ? inUnit(big, bigUnit) : `${inUnit(big, bigUnit)} ${inUnit(small, smallUnit)}`;
}

/**
 * A span in the largest units that fit: "45 s", "3 min 5 s", "1 h 4 min",
 * "2 d 3 h". Whole seconds are rounded; the rest is cut, never rounded up.
 * @param {number} seconds zero or more
 */
export function elapsed(seconds) {
  const total = Math.round(seconds);
  if (total < 60) return inUnit(total, 'second');
  if (total < 3_600) return twoUnits(Math.floor(total / 60), 'minute', total % 60, 'second');
  if (total < 86_400) return twoUnits(Math.floor(total / 3_600), 'hour', Math.floor((total % 3_600) / 60), 'minute');
  return twoUnits(Math.floor(total / 86_400), 'day', Math.floor((total % 86_400) / 3_600), 'hour');
}

/**
 * How long until the message goes, as a bare span ("1 min 30 s"), for a
 * sentence of the caller's: to the second in its last minutes, in whole
 * minutes (rounded up, so it never says less than is left) before. Null once
 * no time is left.
 * @param {string} expiresAt ISO 8601
 * @returns {string | null}
 */
export function timeLeft(expiresAt, now = Date.now()) {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return null;
  if (left < PRECISE_BELOW) return elapsed(Math.ceil(left / SECOND));
  return elapsed(Math.ceil(left / MINUTE) * 60);
}

/**
 * "expires in 1 min 30 s", "expiring now".
 * @param {string} expiresAt ISO 8601
 */
export function expiresIn(expiresAt, now = Date.now()) {
  const left = timeLeft(expiresAt, now);
  return left === null ? t('time.expiringNow') : t('time.expiresIn', { duration: left });
}

/**
 * How soon the text of `expiresIn` changes: every second near the end, else at the next minute.
 * @param {string} expiresAt ISO 8601
 * @returns {number} milliseconds
 */
export function nextExpiryChange(expiresAt, now = Date.now()) {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return Infinity;
  const unit = left < PRECISE_BELOW ? SECOND : MINUTE;
  return left % unit || unit;
}

/**
 * "just now", "3 min ago", "2 h ago", then a date.
 * @param {string} receivedAt ISO 8601
 */
export function receivedAgo(receivedAt, now = Date.now()) {
  const time = Date.parse(receivedAt);
  const ago = now - time;
  if (ago < MINUTE) return t('time.justNow');
  if (ago < DAY) return t('time.ago', { duration: elapsed(Math.floor(ago / MINUTE) * 60) });
  return dateFormat.format(time);
}

const dateFormat = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A full local date for the message header and tooltips.
 * @param {string} iso
 */
export function fullDate(iso) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : fullFormat.format(time);
}

/**
 * "1 hour", "90 minutes", "2 days", in words: for the retention sentence.
 * @param {number} seconds
 */
export function retention(seconds) {
  if (seconds % 86_400 === 0) return inUnit(seconds / 86_400, 'day', 'long');
  if (seconds % 3_600 === 0) return inUnit(seconds / 3_600, 'hour', 'long');
  if (seconds % 60 === 0) return inUnit(seconds / 60, 'minute', 'long');
  return inUnit(seconds, 'second', 'long');
}

/**
 * "12 kB", "1.4 MB".
 * @param {number} bytes
 */
export function fileSize(bytes) {
  if (bytes < 1024) return inUnit(bytes, 'byte');
  const units = /** @type {const} */ (['kilobyte', 'megabyte', 'gigabyte']);
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return inUnit(value < 10 ? Math.round(value * 10) / 10 : Math.round(value), units[unit] ?? 'gigabyte');
}
