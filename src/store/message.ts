import type { RawBytes } from './raw-bytes.js';

/**
 * The message model the store keeps: heads, envelopes and raw bytes. What a
 * message says (its sender, subject, codes) is read from the raw bytes
 * outside the store (src/mail/read/), so store/ depends on nothing else.
 */

/**
 * What the SMTP session saw of the client while it handed a message over:
 * the inputs of an SPF check besides MAIL FROM, and the first point of the
 * delivery's timeline here.
 */
export interface IntakeSession {
  /** The client's IP address, the socket's peer; an IPv4 address written as IPv6 (`::ffff:a.b.c.d`) is plain IPv4. */
  clientIp: string;
  /** The HELO or EHLO name the client gave, lower-cased (smtp-server keeps it so; DNS names ignore case). */
  helo: string;
  /** True when the message came over TLS: after STARTTLS, or on an implicit-TLS listener (smtp-server's `session.secure`). */
  tls: boolean;
  /** When the client began the transaction with MAIL FROM, in milliseconds since the epoch. */
  startedAt: number;
}

/** The SMTP envelope: who the sending client said it was and whom it addressed. */
export interface Envelope {
  mailFrom: string | null;
  rcptTo: string[];
  /** What the session saw; absent for copies stored before intake recorded it. */
  session?: IntakeSession;
}

/** One delivery as intake hands it to the store. */
export interface NewMessage {
  envelope: Envelope;
  /**
   * Who handed the message over, as an opaque key (intake uses the client's
   * IPv4 address or IPv6 /64): the store keeps each sender within its share.
   */
  sender: string;
  raw: RawBytes;
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

/** A stored message with everything needed to read it in full. */
export interface StoredMessage {
  head: MessageHead;
  envelope: Envelope;
  raw: Buffer;
}
