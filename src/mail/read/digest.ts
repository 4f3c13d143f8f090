import type { MailboxAddress, MessageDigest } from '../../store/message.js';
import { findCodes } from '../extract/codes.js';
import { parseMessage, type ParsedMessage } from '../parse/parse.js';

const PREVIEW_CHARACTERS = 200;
// A summary goes into every inbox listing and live event, up to 200 per inbox,
// so a folded 900 KB Subject or a To header of 30,000 mailboxes is cut here;
// the full message still shows every header as received.
const SUMMARY_TEXT_CHARACTERS = 1_000;
const SUMMARY_RECIPIENTS = 100;

/** What a digest is made from, whichever parser read the message. */
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

/** Parses and digests in this thread; for tests and tools that need no worker pool. */
export async function digestRaw(raw: Buffer): Promise<MessageDigest> {
  return digestMessage(await parseMessage(raw));
}
