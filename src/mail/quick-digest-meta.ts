/**
 * The header block mailparser writes into the text and HTML in front of a
 * message embedded inline (message/rfc822, Content-Disposition: inline): a
 * "From:", "Subject:", "Date:", "To:", "Cc:", "Bcc:" line each, as far as
 * the embedded message has them. Built the same way for the intake digest,
 * so a forwarded message previews as readers see it.
 */
import { parseAddressHeader } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { fieldValues, type HeaderField } from './quick-digest-fields.js';
import { decodeWords } from './quick-digest-words.js';

/** The block as mailparser adds it to the text and to the HTML. */
export interface HeaderBlock {
  text: string;
  html: string;
}

interface Entry {
  key: string;
  text: string;
  html: string;
}

/**
 * The block for an embedded message with these header fields. As in
 * mailparser, a Date it cannot read shows the current time.
 */
export function embeddedHeaderBlock(fields: readonly HeaderField[]): HeaderBlock {
  const values = (key: string): string[] => fieldValues(fields, key);
  const addresses = (key: string, value: string | undefined): Entry[] => {
    if (value === undefined) return [];
    const parsed: AddressObject = parseAddressHeader(value);
    return [{ key, text: parsed.text, html: parsed.html }];
  };
  const subject = values('subject').map(decodeWords).find((value) => value !== '');
  const dateText = values('date')[0];
  const date = dateText === undefined ? undefined : readableDate(dateText).toUTCString();
  // From and the subject are the first of their kind, the recipient lists the last.
  const entries: Entry[] = [
    ...addresses('From', values('from')[0]),
    ...(subject === undefined ? [] : [{ key: 'Subject', text: subject, html: `<strong>${encodeHtml(subject)}</strong>` }]),
    ...(date === undefined ? [] : [{ key: 'Date', text: date, html: date }]),
    ...addresses('To', values('to').at(-1)),
    ...addresses('Cc', values('cc').at(-1)),
    ...addresses('Bcc', values('bcc').at(-1)),
  ];
  return {
    text: `\n${entries.map((entry) => `${entry.key}: ${entry.text}`).join('\n')}\n`,
    // The stray "<td>" and the unclosed tables are mailparser's, kept for the same HTML.
    html: `<table class="mp_head">${entries.map((entry) => `<tr><td class="mp_head_key">${encodeHtml(entry.key)}:</td><td class="mp_head_value">${entry.html}<td></tr>`).join('\n')}<table>`,
  };
}

function readableDate(text: string): Date {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/** he.encode with its default options: markup characters and everything outside printable ASCII as hex references. */
function encodeHtml(text: string): string {
  const reference = (codePoint: number): string => `&#x${codePoint.toString(16).toUpperCase()};`;
  return text
    .replace(/["&'<>`]/g, (chr) => reference(chr.charCodeAt(0)))
    .replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (pair) => reference(pair.codePointAt(0) ?? 0))
    .replace(/[\x01-\t\x0B\f\x0E-\x1F\x7F\x81\x8D\x8F\x90\x9D\xA0-\uFFFF]/g, (chr) => reference(chr.charCodeAt(0)));
}
