import type { ApiMessageSummary } from '../client/index.js';
import { cell, printableLine } from './text.js';

// Columns of a message line; with the gaps, 80 in all.
const TIME = 11;
const FROM = 18;
const SUBJECT = 19;
const ID = 26;
const GAP = '  ';

/** The heading of `messageLine`'s columns. */
export const MESSAGE_LINE_HEADING = [cell('TIME', TIME), cell('FROM', FROM), cell('SUBJECT', SUBJECT), 'ID'].join(GAP);

/** One message as a line of 80 columns: local arrival time (MM-DD HH:MM), sender address, subject, id. */
export function messageLine(message: ApiMessageSummary): string {
  const from = message.from === null ? '(no sender)' : printableLine(message.from.address);
  const subject = message.subject === '' ? '(no subject)' : printableLine(message.subject);
  return [cell(localTime(new Date(message.receivedAt)), TIME), cell(from, FROM), cell(subject, SUBJECT), cell(message.id, ID).trimEnd()].join(GAP);
}

function localTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
