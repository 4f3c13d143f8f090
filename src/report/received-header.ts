/**
 * Reads one Received header (RFC 5321 §4.4) for the delivery timeline: who
 * handed the message over, who took it, and when. Real headers follow the
 * grammar loosely (`from X (Y [ip]) by Z with ESMTPS id …; date`), and the
 * sender writes every header below the first relay's, so this reads what it
 * can, bounded, and never throws.
 */
import type { HeaderLine } from '../mail/parse/headers.js';

/** What the timeline needs of one Received header. */
export interface ReceivedHop {
  /** The `from` host as the receiving host recorded it; null when absent. */
  from: string | null;
  /** The `by` host: the one that received the message; null when absent. */
  by: string | null;
  /** When `by` received it, in milliseconds since the epoch; null when missing or unreadable. */
  at: number | null;
}

/** A DNS name is at most 255 characters; longer text in a host slot is cut there. */
export const HOST_LIMIT = 255;

// `from` and `by` come first in every header seen in practice; the clauses
// after them (`with`, `id`, `for`, comments about TLS) can be arbitrarily
// long, so only this much of the text before the date is read for hosts.
const CLAUSE_LIMIT = 4096;

// An RFC 5322 date with a comment such as "(UTC)" is under 50 characters;
// the rest of a longer text is not looked at.
const DATE_TEXT_LIMIT = 128;

/** Reads one Received header's value (unfolded); anything unreadable becomes null. */
export function parseReceived(value: string): ReceivedHop {
  // The date follows the last ';' (RFC 5321 `Stamp`): a ';' may sit in a
  // comment earlier on, never after the date.
  const semicolon = value.lastIndexOf(';');
  const clauses = semicolon < 0 ? value : value.slice(0, semicolon);
  const words = withoutComments(clauses.slice(0, CLAUSE_LIMIT)).split(/\s+/);
  return {
    from: wordAfter(words, 'from'),
    by: wordAfter(words, 'by'),
    at: semicolon < 0 ? null : parseRfc5322Date(value.slice(semicolon + 1, semicolon + 1 + DATE_TEXT_LIMIT)),
  };
}

/** Replaces each (possibly nested) comment with a space, so `by` after `from X (Y [ip])` is found. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  for (const char of text) {
    if (char === '(') {
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) out += ' ';
    } else if (depth === 0) {
      out += char;
    }
  }
  return out;
}

function wordAfter(words: readonly string[], keyword: string): string | null {
  const index = words.findIndex((word) => word.toLowerCase() === keyword);
  const word = index < 0 ? undefined : words[index + 1];
  return word === undefined || word === '' ? null : word.slice(0, HOST_LIMIT);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// The named zones RFC 5322 §4.3 still allows, in minutes east of UTC.
const ZONES: Record<string, number> = {
  ut: 0, gmt: 0, z: 0,
  edt: -240, est: -300, cdt: -300, cst: -360, mdt: -360, mst: -420, pdt: -420, pst: -480,
};

// Day, month, year, time, zone; the weekday before them is not needed.
const DATE = /(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[a-z]{1,3})\b/i;

/** The time of the message's Date header, read as strictly as a Received date; null when missing or unreadable. */
export function dateHeaderTime(headers: readonly HeaderLine[]): number | null {
  const value = headers.find((header) => header.name === 'date')?.value;
  return value === undefined ? null : parseRfc5322Date(value.slice(0, DATE_TEXT_LIMIT));
}

/**
 * Reads an RFC 5322 date, obsolete forms included (two-digit years, named
 * zones). Returns null for anything else: `Date.parse` is not used because
 * it reads "1" as the year 2001 and rolls 31 Feb over into March.
 */
export function parseRfc5322Date(text: string): number | null {
  const match = DATE.exec(text);
  if (match === null) return null;
  const [, dayText = '', monthText = '', yearText = '', hourText = '', minuteText = '', secondText = '0', zoneText = ''] = match;
  const month = MONTHS.indexOf(monthText.toLowerCase());
  const zone = zoneOffsetMinutes(zoneText);
  const [day, hour, minute] = [Number(dayText), Number(hourText), Number(minuteText)];
  // A leap second (":60") counts as the second before it.
  const second = Math.min(Number(secondText), 59);
  if (month < 0 || zone === null || hour > 23 || minute > 59) return null;
  const year = fullYear(Number(yearText), yearText.length);
  const utc = Date.UTC(year, month, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - zone * 60_000;
}

/** RFC 5322 §4.3: two-digit years from 50 are 19xx, below 50 20xx; three digits add 1900. */
function fullYear(year: number, digits: number): number {
  if (digits === 2) return year < 50 ? 2000 + year : 1900 + year;
  if (digits === 3) return 1900 + year;
  return year;
}

function zoneOffsetMinutes(zone: string): number | null {
  if (/^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(3, 5));
    return minutes > 59 ? null : sign * (hours * 60 + minutes);
  }
  return ZONES[zone.toLowerCase()] ?? null;
}
