import type { Envelope, MessageSummary } from './message.js';

// Object headers, hidden classes, map and cache slots per record, measured
// roughly with heap snapshots; strings are counted separately below.
const FIXED_RECORD_BYTES = 600;

/**
 * Bytes one stored record holds besides the raw message: the summary's
 * strings (UTF-16, two bytes a character) and a fixed cost for the objects.
 * The raw bytes are counted once per blob by the store, since recipients share them.
 */
export function recordOverhead(summary: MessageSummary, envelope: Envelope): number {
  const strings = [
    summary.id, summary.inbox, summary.tag ?? '', summary.subject, summary.preview,
    summary.from?.name ?? '', summary.from?.address ?? '',
    ...summary.to.flatMap((mailbox) => [mailbox.name, mailbox.address]),
    ...summary.codes, envelope.mailFrom ?? '', ...envelope.rcptTo,
  ];
  let characters = 0;
  for (const text of strings) characters += text.length;
  return FIXED_RECORD_BYTES + characters * 2;
}
