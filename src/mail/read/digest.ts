import type { MessageHead } from '../../store/message.js';
import { findCodes, TEXT_SCAN_LIMIT } from '../extract/codes.js';
import { HTML_SCAN_LIMIT } from '../parse/html-text.js';
import { parseMessage, type MailboxAddress, type ParsedMessage } from '../parse/parse.js';
import { displayText, jsonBytes, visibleText } from './display-text.js';

/**
 * What lists and live events show of a message's content, the same for every
 * recipient. Small on purpose: lists and events carry it, while the full
 * parse is made when someone opens the message.
 */
export interface MessageDigest {
  from: MailboxAddress | null;
  /** The first mailboxes of the To header, as many as fit in TO_BYTES. */
  to: MailboxAddress[];
  /** Mailboxes of the To header left out of `to`. */
  toOmitted: number;
  subject: string;
  /** The start of the plain text, whitespace folded. */
  preview: string;
  attachmentCount: number;
  /** Likely verification codes, most likely first. */
  codes: string[];
  /** True when the parser could not read the message; it is kept raw. */
  parseFailed: boolean;
}

/**
 * The format of the digests this code reads. Instances on one store share
 * each digest one of them has read (digest-shelf.ts), and take only those
 * of their own format. Bump it with any change that reads a message's digest
 * differently (this file, lean-digest*.ts, display-text.ts,
 * ../extract/codes.ts, ../parse/), or instances go on showing what the old
 * code read; test/mail/digest-format.test.ts fails until it is bumped.
 */
export const DIGEST_FORMAT = 1;

/** A message as lists and live events show it: its head and its digest. */
export interface MessageSummary extends MessageHead, MessageDigest {}

/**
 * The most bytes a summary takes as JSON, as the API writes it (views.ts):
 * every listing and live hello carries up to 200 of them. What the sender
 * wrote is made visible and bounded in bytes field by field below (a folded
 * 900 KB Subject, a To header of 30,000 mailboxes or a name of control
 * characters cannot grow a summary); the full message still shows every
 * header as received. The worst, in bytes: subject 400, preview 600 (200
 * characters of 3 bytes), From 480, To 1,024, codes 81, the inbox and tag
 * about 900 (the address rules allow 254 bytes, but an IDN domain's A-label
 * stands for up to 4 bytes a character), and some 300 of field names, id, times
 * and numbers; test/mail/summary-size.test.ts feeds it that and measures 3,648.
 */
export const SUMMARY_MAX_JSON_BYTES = 4 * 1024;

const PREVIEW_CHARACTERS = 200;
// A character of the preview takes at most 3 bytes in JSON: 2 for a quote or
// backslash, 3 in the rest of the BMP, and a pair of units 4.
const PREVIEW_BYTES = PREVIEW_CHARACTERS * 3;
const SUBJECT_BYTES = 400;
const NAME_BYTES = 200;
// An address is at most 254 bytes; this is what a header may say instead.
const ADDRESS_BYTES = 256;
const TO_BYTES = 1024;
const TO_MAILBOXES = 100;

/**
 * How much of the text a digest depends on: previewOf folds its first 800
 * characters, findCodes reads its first TEXT_SCAN_LIMIT. A reader that
 * stops earlier than the full text must read at least this far.
 */
export const DIGEST_TEXT_CHARACTERS = Math.max(PREVIEW_CHARACTERS * 4, TEXT_SCAN_LIMIT);
/** How much of the HTML a digest depends on: findCodes reads it through htmlToText, which stops at HTML_SCAN_LIMIT. */
export const DIGEST_HTML_CHARACTERS = HTML_SCAN_LIMIT;

/** What a digest is made from, whichever reader took it from the raw bytes (the full parse or lean-digest.ts). */
export interface DigestContent {
  subject: string;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  /** The plain text as readers get it; only its start is read. */
  text: string;
  html: string | null;
  attachmentCount: number;
  failed: boolean;
}

/** The small part of a parsed message that lists and live events show. */
export function digestMessage(parsed: ParsedMessage): MessageDigest {
  const { subject, from, to, text, html, attachments, failed } = parsed;
  return digestContent({ subject, from, to, text, html, attachmentCount: attachments.length, failed });
}

/** The digest of a message's content: short mailboxes and subject, a preview and the likely codes. */
export function digestContent(content: DigestContent): MessageDigest {
  const to = firstMailboxes(content.to);
  return {
    from: content.from === null ? null : shortMailbox(content.from),
    to,
    toOmitted: content.to.length - to.length,
    subject: displayText(content.subject, SUBJECT_BYTES),
    preview: previewOf(content.text),
    attachmentCount: content.attachmentCount,
    codes: findCodes({ subject: content.subject, text: content.text, html: content.html }),
    parseFailed: content.failed,
  };
}

/** A message read in full: its parse, and the digest of that parse. */
export interface ReadMessage {
  parsed: ParsedMessage;
  digest: MessageDigest;
}

/** Parses and digests: what a parse worker runs for a reader, so that no digest is made on the main thread. */
export async function readMessage(raw: Buffer): Promise<ReadMessage> {
  const parsed = await parseMessage(raw);
  return { parsed, digest: digestMessage(parsed) };
}

/** Parses in full and digests in this thread: what lean-digest.ts must equal, for tests and tools without a pool. */
export async function digestRaw(raw: Buffer): Promise<MessageDigest> {
  return (await readMessage(raw)).digest;
}

/**
 * A copy's summary once its digest is known. Field by field: a head read
 * from Redis may carry more (see src/store/redis/scripts.ts), and an object
 * spread of a digest took microseconds here, not nanoseconds.
 */
export function summaryOf(head: MessageHead, digest: MessageDigest): MessageSummary {
  return {
    id: head.id, inbox: head.inbox, tag: head.tag, receivedAt: head.receivedAt, expiresAt: head.expiresAt, size: head.size,
    from: digest.from, to: digest.to, toOmitted: digest.toOmitted, subject: digest.subject, preview: digest.preview,
    attachmentCount: digest.attachmentCount, codes: digest.codes, parseFailed: digest.parseFailed,
  };
}

function shortMailbox({ name, address }: MailboxAddress): MailboxAddress {
  return { name: displayText(name, NAME_BYTES), address: displayText(address, ADDRESS_BYTES) };
}

// In order, until the next would not fit: a listing shows the first recipients, not a sample.
function firstMailboxes(mailboxes: readonly MailboxAddress[]): MailboxAddress[] {
  const first: MailboxAddress[] = [];
  // The brackets, then each mailbox and the comma before it.
  let bytes = 2;
  for (const mailbox of mailboxes.slice(0, TO_MAILBOXES)) {
    const short = shortMailbox(mailbox);
    bytes += jsonBytes(short) + (first.length > 0 ? 1 : 0);
    if (bytes > TO_BYTES) break;
    first.push(short);
  }
  return first;
}

function previewOf(text: string): string {
  // Folding only the head keeps this cheap on megabyte bodies.
  const folded = visibleText(text.slice(0, PREVIEW_CHARACTERS * 4)).replace(/\s+/g, ' ').trim();
  // Cut by characters, as the API describes the preview; the bytes only drop a pair cut in half.
  return displayText(folded.slice(0, PREVIEW_CHARACTERS), PREVIEW_BYTES);
}
