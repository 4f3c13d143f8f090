import type { MessageHead } from '../../store/message.js';
import { findCodes, TEXT_SCAN_LIMIT } from '../extract/codes.js';
import { HTML_SCAN_LIMIT } from '../parse/html-text.js';
import { parseMessage, type MailboxAddress, type ParsedMessage } from '../parse/parse.js';

/**
 * What lists and live events show of a message's content, the same for every
 * recipient. Small on purpose: lists and events carry it, while the full
 * parse is made when someone opens the message.
 */
export interface MessageDigest {
  from: MailboxAddress | null;
  to: MailboxAddress[];
  subject: string;
  /** The start of the plain text, whitespace folded. */
  preview: string;
  attachmentCount: number;
  /** Likely verification codes, most likely first. */
  codes: string[];
  /** True when the parser could not read the message; it is kept raw. */
  parseFailed: boolean;
}

/** A message as lists and live events show it: its head and its digest. */
export interface MessageSummary extends MessageHead, MessageDigest {}

const PREVIEW_CHARACTERS = 200;
// A summary goes into every inbox listing and live event, up to 200 per inbox,
// so a folded 900 KB Subject or a To header of 30,000 mailboxes is cut here;
// the full message still shows every header as received.
const SUMMARY_TEXT_CHARACTERS = 1_000;
const SUMMARY_RECIPIENTS = 100;

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
  return {
    from: content.from === null ? null : shortMailbox(content.from),
    to: content.to.slice(0, SUMMARY_RECIPIENTS).map(shortMailbox),
    subject: clip(content.subject),
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
    from: digest.from, to: digest.to, subject: digest.subject, preview: digest.preview,
    attachmentCount: digest.attachmentCount, codes: digest.codes, parseFailed: digest.parseFailed,
  };
}

function shortMailbox({ name, address }: MailboxAddress): MailboxAddress {
  return { name: clip(name), address: clip(address) };
}

// Never ends on half a surrogate pair, which JSON would write as an escape.
function clip(text: string): string {
  return text.length <= SUMMARY_TEXT_CHARACTERS ? text : text.slice(0, SUMMARY_TEXT_CHARACTERS).replace(/[\ud800-\udbff]$/, '');
}

function previewOf(text: string): string {
  // Folding only the head keeps this cheap on megabyte bodies.
  return text.slice(0, PREVIEW_CHARACTERS * 4).replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARACTERS);
}
