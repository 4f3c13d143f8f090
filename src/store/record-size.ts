import type { Envelope, MessageDigest, MessageHead } from './message.js';

// Object headers, hidden classes, map and cache slots per record, measured
// roughly with heap snapshots; strings are counted separately below.
const FIXED_RECORD_BYTES = 600;

/**
 * Bytes one stored record holds besides the raw message: the strings of its
 * head, its digest once read, and its envelope (UTF-16, two bytes a
 * character), and a fixed cost for the objects. The raw bytes are counted
 * once per blob by the store, since recipients share them.
 */
export function recordOverhead(head: MessageHead, digest: MessageDigest | null, envelope: Envelope): number {
  const strings = [head.id, head.inbox, head.tag ?? '', envelope.mailFrom ?? '', ...envelope.rcptTo];
  if (digest !== null) {
    strings.push(
      digest.subject, digest.preview, digest.from?.name ?? '', digest.from?.address ?? '',
      ...digest.to.flatMap((mailbox) => [mailbox.name, mailbox.address]), ...digest.codes,
    );
  }
  let characters = 0;
  for (const text of strings) characters += text.length;
  return FIXED_RECORD_BYTES + characters * 2;
}
