/**
 * Turns the raw bytes SMTP intake received into a readable message. Built on
 * mailparser; everything it reports that the store and API do not use is
 * either switched off or dropped here.
 */
import { Headers } from '@zone-eu/mailsplit';
import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, EmailAddress, ParsedMail, SimpleParserOptions } from 'mailparser';
import { findLinks, type FoundLink } from '../extract/links.js';
import { decodeHeaderLines, scanSubject } from './headers.js';
import type { HeaderLine } from './headers.js';
import { HTML_CONVERTED_CHARACTERS, htmlAsText } from './html-as-text.js';
import { describeProblems } from './parse-problems.js';
import { readingCopy, type ReadingCopy } from './reading-copy.js';
import { cutText } from './text-cut.js';

export type { HeaderLine } from './headers.js';

/** A mailbox as written in a header: an optional display name and an address. */
export interface MailboxAddress {
  name: string;
  address: string;
}

/** A non-text part of a message, content decoded. */
export interface ParsedAttachment {
  /**
   * The name the sender gave, decoded (RFC 2231 / 2047). Untrusted data that
   * may hold "/", "..", control characters or nothing sensible at all: never
   * use it as a file-system path, and escape it before echoing it in a
   * Content-Disposition header.
   */
  filename: string | null;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** The Content-ID without angle brackets, as `cid:` URLs in the HTML name it. */
  contentId: string | null;
  /** Shown within the body: disposition inline, or referenced from the HTML by `cid:`. */
  inline: boolean;
  content: Buffer;
}

/** Everything readers need from one message. */
export interface ParsedMessage {
  subject: string;
  /** The first mailbox of From. */
  from: MailboxAddress | null;
  /** Address groups are replaced by their members. */
  to: MailboxAddress[];
  cc: MailboxAddress[];
  replyTo: MailboxAddress[];
  /** Milliseconds since the epoch from the Date header; null if missing or unreadable. */
  date: number | null;
  /** The Message-ID with its angle brackets. */
  messageId: string | null;
  /** The plain text body, derived from the HTML (its first HTML_CONVERTED_CHARACTERS) when there is only HTML; '' if none. HTML beside other text adds nothing to it. */
  text: string;
  /** True when a text/plain part has text of its own: false for HTML-only mail, whose `text` comes from the HTML. */
  hasTextPart: boolean;
  /** The HTML body with `cid:` links left as they are; null if none. */
  html: string | null;
  attachments: ParsedAttachment[];
  /** The web links of the text and HTML, found here (in the worker) so no reader's request scans a body on the main thread. */
  links: FoundLink[];
  /** Every header in received order, repeats included. */
  headers: HeaderLine[];
  /** Human sentences about what could not be read. */
  problems: string[];
  /** True when the parser could not read the message at all. */
  failed: boolean;
}

// Only what ParsedMessage carries is computed:
// - keepCidLinks: otherwise simpleParser copies every cid: image into the
//   HTML as a base64 data: URL, a second copy of bytes already returned as
//   attachments. It also skips updateImageLinks(), the only reader of
//   skipImageLinks, so that option is not needed.
// - skipTextToHtml: textAsHtml is never read. textToHtml() then returns before
//   linkifying, so skipTextLinks has nothing left to skip.
// - checksumAlgo false: attachment checksums are never read.
// - skipHtmlToText: mailparser would convert each HTML part of up to
//   maxHtmlLengthToParse characters, however deeply nested, at a cost that
//   grows as the square of its nesting (html-as-text.ts). HTML beside other
//   text then gives it nothing; when that leaves a message without text
//   (HTML-only mail) its text is derived here, from the HTML's start, at a
//   bounded cost.
const PARSER_OPTIONS: Readonly<SimpleParserOptions> = Object.freeze({
  keepCidLinks: true,
  skipTextToHtml: true,
  checksumAlgo: false,
  skipHtmlToText: true,
});

// Matches cid: URLs in src="…", url(…) and bare text alike. Used only via
// matchAll, which iterates a copy, so its lastIndex is never shared state.
const CID_REFERENCE = /\bcid:([^\s"'<>()]+)/gi;

function flattenGroups(entries: readonly EmailAddress[]): MailboxAddress[] {
  return entries.flatMap((entry) => {
    if (entry.group !== undefined) {
      return flattenGroups(entry.group);
    }
    // mailparser leaves the address empty for a name-only entry and for an
    // encoded word posing as an address; neither is a mailbox.
    return entry.address ? [{ name: entry.name, address: entry.address }] : [];
  });
}

/** The mailboxes of an address header (a repeated To or Cc arrives as an array), groups replaced by their members. */
export function mailboxes(header: AddressObject | AddressObject[] | undefined): MailboxAddress[] {
  return header === undefined ? [] : [header].flat().flatMap((object) => flattenGroups(object.value));
}

function decodeCid(reference: string): string {
  try {
    return decodeURIComponent(reference);
  } catch {
    return reference;
  }
}

// RFC 2392: a cid: URL is the Content-ID without brackets, percent-encoded.
function referencedContentIds(html: string | null): Set<string> {
  const ids = new Set<string>();
  for (const [, reference = ''] of (html ?? '').matchAll(CID_REFERENCE)) {
    ids.add(reference);
    ids.add(decodeCid(reference));
  }
  return ids;
}

function toAttachment(attachment: Attachment, referenced: ReadonlySet<string>): ParsedAttachment {
  // `|| null` also covers "Content-ID: <>", which mailparser reports as ''.
  const contentId = attachment.cid || null;
  return {
    filename: attachment.filename ?? null,
    // Despite its types mailparser reports false for an empty Content-Type
    // header; unknown bytes are safest served as octet-stream.
    contentType: attachment.contentType || 'application/octet-stream',
    size: attachment.content.length,
    contentId,
    inline: attachment.contentDisposition === 'inline' || (contentId !== null && referenced.has(contentId)),
    content: attachment.content,
  };
}

// mailparser substitutes the current time for a Date it cannot read, which
// would make a broken message look fresh, so the header text is read here.
function parseDate(value: string | undefined): number | null {
  if (value === undefined) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function fromParsedMail(mail: ParsedMail, raw: Buffer, copy: ReadingCopy): ParsedMessage {
  // From the header block as received: the parsed copy may have a repaired Content-Type.
  const { headers, skipped } = decodeHeaderLines(copy.header.length === 0 ? [] : new Headers(copy.header).getList());
  const dateText = headers.find((header) => header.name === 'date')?.value;
  const date = parseDate(dateText);
  const html = typeof mail.html === 'string' ? mail.html : null;
  const referenced = referencedContentIds(html);
  const { text: fullText, htmlCharactersCut, htmlRefusal } = textOf(mail, html);
  const text = cutText(fullText);
  return {
    subject: mail.subject ?? '',
    from: mailboxes(mail.from)[0] ?? null,
    to: mailboxes(mail.to),
    cc: mailboxes(mail.cc),
    replyTo: mailboxes(mail.replyTo),
    date,
    messageId: mail.messageId ?? null,
    text,
    // Blank text is no alternative a reader could use; /\S/ stops at the first character that is not blank.
    hasTextPart: /\S/.test(mail.text ?? ''),
    html,
    attachments: mail.attachments.map((attachment) => toAttachment(attachment, referenced)),
    links: findLinks({ subject: mail.subject ?? '', text, html }),
    headers,
    problems: describeProblems({
      raw,
      headers,
      skippedHeaderLines: skipped,
      repairs: copy,
      dateText,
      date,
      htmlCharactersCut,
      htmlRefusal,
      textCharacters: fullText.length,
    }),
    failed: false,
  };
}

// mailparser gives each HTML part that would give text an empty piece
// (skipHtmlToText). A text of one empty piece is a message whose only text
// would come from that HTML (HTML-only mail): its text is then that of the
// HTML's start. Beside other text, HTML gives none: mailparser does not say
// where in the joined text its piece is.
function textOf(mail: ParsedMail, html: string | null): { text: string; htmlCharactersCut: number | null; htmlRefusal: string | null } {
  if (mail.text === '' && html !== null) {
    const { text, refusal } = htmlAsText(html.slice(0, HTML_CONVERTED_CHARACTERS));
    return { text, htmlCharactersCut: html.length > HTML_CONVERTED_CHARACTERS ? html.length : null, htmlRefusal: refusal };
  }
  return { text: mail.text ?? '', htmlCharactersCut: null, htmlRefusal: null };
}

/** The result for bytes that could not be parsed: the Subject if a cheap scan finds it, and why. */
export function failedMessage(raw: Buffer, error: unknown): ParsedMessage {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    subject: scanSubject(raw),
    from: null,
    to: [],
    cc: [],
    replyTo: [],
    date: null,
    messageId: null,
    text: '',
    hasTextPart: false,
    html: null,
    attachments: [],
    links: [],
    headers: [],
    problems: [`The message could not be parsed (${reason}).`],
    failed: true,
  };
}

/**
 * Parses raw message bytes, as their reading copy (reading-copy.ts) has
 * them. Never rejects: when mailparser gives up the result has
 * `failed: true`, a problem sentence and, if one can be found cheaply, the
 * Subject.
 */
export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  try {
    const copy = readingCopy(raw);
    // Given a Buffer, simpleParser listens for the parser's 'error' event for
    // the parser's whole life and settles only once, so an error after the
    // result (or a second one) is absorbed instead of going unhandled.
    return fromParsedMail(await simpleParser(copy.bytes, PARSER_OPTIONS), raw, copy);
  } catch (error) {
    return failedMessage(raw, error);
  }
}
