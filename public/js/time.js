/** Human times and sizes, short enough for a 360 px row. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "expires in 42 min", rounded up so it never says 0 while the message is there.
 * @param {string} expiresAt ISO 8601
 */
export function expiresIn(expiresAt, now = Date.now()) {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return 'expiring now';
  if (left < MINUTE) return 'expires in under a minute';
  return `expires in ${duration(left, Math.ceil)}`;
}

/**
 * "just now", "3 min ago", "2 h ago", then a date.
 * @param {string} receivedAt ISO 8601
 */
export function receivedAgo(receivedAt, now = Date.now()) {
  const time = Date.parse(receivedAt);
  const ago = now - time;
  if (ago < MINUTE) return 'just now';
  if (ago < DAY) return `${duration(ago, Math.floor)} ago`;
  return dateFormat.format(time);
}

/**
 * "1 h 5 min", "42 min", "2 d 3 h".
 * @param {number} ms
 * @param {(value: number) => number} round
 */
function duration(ms, round) {
  const minutes = round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const hours = round(ms / HOUR);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 ? `${days} d` : `${days} d ${rest} h`;
}

/**
 * A span in the largest units that fit, to the second: "45 s", "3 min 5 s",
 * "1 h 4 min", "2 d 3 h". For delays between mail relays.
 * @param {number} seconds zero or more
 */
export function elapsed(seconds) {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3_600) return twoUnits(Math.floor(total / 60), 'min', total % 60, 's');
  if (total < 86_400) return twoUnits(Math.floor(total / 3_600), 'h', Math.floor((total % 3_600) / 60), 'min');
  return twoUnits(Math.floor(total / 86_400), 'd', Math.floor((total % 86_400) / 3_600), 'h');
}

/**
 * @param {number} big
 * @param {string} bigUnit
 * @param {number} small
 * @param {string} smallUnit
 */
function twoUnits(big, bigUnit, small, smallUnit) {
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A full local date for the message header and tooltips.
 * @param {string} iso
 */
export function fullDate(iso) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : fullFormat.format(time);
}

/**
 * "1 hour", "90 minutes", "2 days": for the retention footer.
 * @param {number} seconds
 */
export function retention(seconds) {
  /** @type {(n: number, unit: string) => string} */
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, 'day');
  if (seconds % 3_600 === 0) return plural(seconds / 3_600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/**
 * "12 KB", "1.4 MB".
 * @param {number} bytes
 */
export function fileSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
