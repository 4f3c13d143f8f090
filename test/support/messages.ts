import type { MessageDigest } from '../../src/mail/read/digest.js';
import type { IntakeSession, NewMessage } from '../../src/store/message.js';

/** A digest with sensible defaults for tests that do not care about content. */
export function makeDigest(overrides: Partial<MessageDigest> = {}): MessageDigest {
  return {
    from: { name: 'Sender', address: 'sender@example.com' },
    to: [{ name: '', address: 'someone@ephemail.test' }],
    toOmitted: 0,
    subject: 'Hello',
    preview: 'Hello there',
    attachmentCount: 0,
    codes: [],
    parseFailed: false,
    ...overrides,
  };
}

/**
 * A delivery to the given inboxes of a `size`-byte message with that subject, from `sender` (192.0.2.1 unless given),
 * with what its SMTP session saw when `session` is given.
 */
export function makeNewMessage(
  inboxes: string[],
  options: { size?: number; subject?: string; tags?: Array<string | null>; sender?: string; session?: IntakeSession } = {},
): NewMessage {
  const raw = Buffer.alloc(options.size ?? 1_000, 'a');
  raw.write(`Subject: ${options.subject ?? 'Hello'}\r\n\r\n`);
  return {
    envelope: { mailFrom: 'sender@example.com', rcptTo: inboxes, ...(options.session ? { session: options.session } : {}) },
    sender: options.sender ?? '192.0.2.1',
    raw,
    recipients: inboxes.map((inbox, index) => ({ inbox, tag: options.tags?.[index] ?? null })),
  };
}
