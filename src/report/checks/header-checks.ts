/**
 * The header checks: Message-ID and Date, which RFC 5322 asks every message
 * to carry and filters score when they are missing or odd.
 */
import type { HeaderLine } from '../../mail/parse/headers.js';
import type { ReportCheck } from '../report.js';
import { finding } from '../penalties.js';
import { sentence } from '../sentences/sentences.js';
import { quoted } from './wording.js';

// RFC 5322's msg-id, loosely: one "left@right" in angle brackets, no blanks.
const MESSAGE_ID = /^<[^<>@\s]+@[^<>@\s]+>$/;
const DAY_SECONDS = 24 * 60 * 60;

/** `message-id`: fails without a Message-ID header, warns when it is not `<left@right>`. */
export function messageIdCheck(headers: readonly HeaderLine[]): ReportCheck {
  const value = headers.find((header) => header.name === 'message-id')?.value.trim();
  if (value === undefined || value === '') return finding('message-id', 'fail', sentence('message-id.missing'));
  if (!MESSAGE_ID.test(value)) return finding('message-id', 'warn', sentence('message-id.malformed', { header: quoted(value) }));
  return finding('message-id', 'pass', sentence('message-id.ok'));
}

/**
 * `date`: fails without a readable Date header, warns when it is more than a
 * day before or after `receivedAt` (ms since the epoch, when this server took
 * the message), as a wrong clock or a stale queue would make it.
 */
export function dateCheck(headers: readonly HeaderLine[], date: number | null, receivedAt: number): ReportCheck {
  const value = headers.find((header) => header.name === 'date')?.value.trim();
  if (value === undefined || value === '') return finding('date', 'fail', sentence('date.missing'));
  if (date === null) return finding('date', 'fail', sentence('date.unreadable', { header: quoted(value) }));
  const seconds = (receivedAt - date) / 1000;
  if (Math.abs(seconds) > DAY_SECONDS) {
    const skew = { header: quoted(value), seconds: Math.abs(seconds) };
    return finding('date', 'warn', sentence(seconds > 0 ? 'date.before-arrival' : 'date.after-arrival', skew));
  }
  return finding('date', 'pass', sentence('date.ok'));
}
