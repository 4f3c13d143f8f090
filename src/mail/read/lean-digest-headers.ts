/**
 * Header fields for the lean digest, read from mailsplit's nodes as
 * mailparser reads them (processHeaders): libmime unfolds and decodes them,
 * mailparser's parseAddressHeader reads the mailboxes, and the block
 * mailparser writes in front of an embedded message is built the same way.
 */
import type { MimeNode } from '@zone-eu/mailsplit';
import he from 'he';
import libmime from 'libmime';
import { parseAddressHeader } from 'mailparser';

/** A header's values in received order, as mailparser's processHeaders reads them: unfolded and decoded by libmime, trimmed, the bytes taken as UTF-8. */
export function headerValues(node: MimeNode, key: string): string[] {
  if (node.headers === false) return [];
  return node.headers.getList().filter((line) => line.key === key).map((line) => {
    const value = String(libmime.decodeHeader(line.line)?.value || '').trim();
    return Buffer.from(value, 'binary').toString();
  });
}

/** The Subject mailparser keeps: the first that is not empty once its encoded words are decoded. */
export function firstSubject(values: readonly string[]): string {
  return values.map(decodeWords).find((subject) => subject !== '') ?? '';
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

interface Entry {
  key: string;
  text: string;
  html: string;
}

/**
 * The block mailparser writes into the text and HTML in front of an
 * embedded message: a "From:", "Subject:", "Date:", "To:", "Cc:" and "Bcc:"
 * line each, as far as the message has them. From, Subject and Date are the
 * first of their kind, the recipient lists the last; a Date mailparser
 * cannot read shows the current time, as it does there.
 */
export function headerBlock(node: MimeNode): { text: string; html: string } {
  const values = (key: string): string[] => headerValues(node, key);
  const addresses = (key: string, value: string | undefined): Entry[] => {
    if (value === undefined) return [];
    const parsed = parseAddressHeader(value);
    return [{ key, text: parsed.text, html: parsed.html }];
  };
  const subject = values('subject').map(decodeWords).find((value) => value !== '');
  const dateText = values('date')[0];
  const date = dateText === undefined ? undefined : readableDate(dateText).toUTCString();
  const entries: Entry[] = [
    ...addresses('From', values('from')[0]),
    ...(subject === undefined ? [] : [{ key: 'Subject', text: subject, html: `<strong>${he.encode(subject)}</strong>` }]),
    ...(date === undefined ? [] : [{ key: 'Date', text: date, html: date }]),
    ...addresses('To', values('to').at(-1)),
    ...addresses('Cc', values('cc').at(-1)),
    ...addresses('Bcc', values('bcc').at(-1)),
  ];
  return {
    text: `\n${entries.map((entry) => `${entry.key}: ${entry.text}`).join('\n')}\n`,
    // The stray "<td>" and the unclosed table are mailparser's, kept for the same HTML.
    html: `<table class="mp_head">${entries.map((entry) => `<tr><td class="mp_head_key">${he.encode(entry.key)}:</td><td class="mp_head_value">${entry.html}<td></tr>`).join('\n')}<table>`,
  };
}

function readableDate(text: string): Date {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}
