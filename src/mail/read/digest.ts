import type { MessageHead } from '../../store/message.js';
import { findCodes } from '../extract/codes.js';
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

/** The small part of a parsed message that lists and live events show. */
export function digestMessage(parsed: ParsedMessage): MessageDigest {
  return {
    from: parsed.from === null ? null : shortMailbox(parsed.from),
    to: parsed.to.slice(0, SUMMARY_RECIPIENTS).map(shortMailbox),
    subject: clip(parsed.subject),
    preview: previewOf(parsed.text),
    attachmentCount: parsed.attachments.length,
    codes: findCodes({ subject: parsed.subject, text: parsed.text, html: parsed.html }),
    parseFailed: parsed.failed,
  };
}

/** Parses and digests in this thread: what a parse worker runs, and what tests use without a pool. */
export async function digestRaw(raw: Buffer): Promise<MessageDigest> {
  return digestMessage(await parseMessage(raw));
}

/** A copy's summary once its digest is known. */
export function summaryOf(head: MessageHead, digest: MessageDigest): MessageSummary {
  return { ...digest, ...head };
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
