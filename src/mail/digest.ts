import type { MessageDigest } from '../store/message.js';
import { findCodes } from './codes.js';
import { parseMessage, type ParsedMessage } from './parse.js';

const PREVIEW_CHARACTERS = 200;

/** The small part of a parsed message that lists and live events show. */
export function digestMessage(parsed: ParsedMessage): MessageDigest {
  return {
    from: parsed.from,
    to: parsed.to,
    subject: parsed.subject,
    preview: previewOf(parsed.text),
    attachmentCount: parsed.attachments.length,
    codes: findCodes({ subject: parsed.subject, text: parsed.text, html: parsed.html }),
    parseFailed: parsed.failed,
  };
}

function previewOf(text: string): string {
  // Folding only the head keeps this cheap on megabyte bodies.
  return text.slice(0, PREVIEW_CHARACTERS * 4).replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARACTERS);
}

/** Parses and digests in this thread; for tests and tools that need no worker pool. */
export async function digestRaw(raw: Buffer): Promise<MessageDigest> {
  return digestMessage(await parseMessage(raw));
}
