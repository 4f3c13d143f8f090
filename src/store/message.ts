import type { RawBytes } from './raw-bytes.js';

/**
 * The message model the store keeps. It belongs to the store so that store/
 * depends on nothing else; intake produces it and readers consume it.
 */

/** A mailbox as written in a header: an optional display name and an address. */
export interface MailboxAddress {
  name: string;
  address: string;
}

/** The SMTP envelope: who the sending client said it was and whom it addressed. */
export interface Envelope {
  mailFrom: string | null;
  rcptTo: string[];
}

/**
 * What lists and live events show of a message's content, the same for every
 * recipient. Small on purpose: once read it is held for the message's whole
 * life, while the full parse is derived again from the raw bytes when someone
 * reads the message.
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

/** One delivery as intake hands it to the store. */
export interface NewMessage {
  envelope: Envelope;
  raw: RawBytes;
  /**
   * Reads the digest of `raw`, joined into one Buffer. The same function
   * serves every delivery, so a stored message holds no closure of its own.
   * A store calls it once per delivery, when it first needs the digest, which
   * may be long after it stored the message (see Store); once more only if a
   * read rejected.
   */
  readDigest: (raw: Buffer) => Promise<MessageDigest>;
  /** Normalised inboxes (one per distinct envelope recipient) with their +tags. */
  recipients: Array<{ inbox: string; tag: string | null }>;
}

/** What a store knows of one inbox copy the moment it stores it. */
export interface MessageHead {
  /** Unguessable, and valid only together with its inbox. */
  id: string;
  inbox: string;
  tag: string | null;
  /** Milliseconds since the epoch. */
  receivedAt: number;
  expiresAt: number;
  /** Size of the raw message in bytes. */
  size: number;
}

/** A message as it sits in one inbox and as readers see it: its head and its digest. */
export interface MessageSummary extends MessageHead, MessageDigest {}

/** A stored message with everything needed to read it in full. */
export interface StoredMessage {
  summary: MessageSummary;
  envelope: Envelope;
  raw: Buffer;
}
