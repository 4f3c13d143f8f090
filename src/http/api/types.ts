/**
 * The JSON shapes of the public API, kept apart from the store's internal
 * types so either can change without silently changing the other. The typed
 * client (src/client) and the OpenAPI document describe exactly these.
 */

/** A mailbox from a header. */
export interface ApiMailbox {
  name: string;
  address: string;
}

/** `GET /api/domains` */
export interface ApiDomains {
  /** Domains this server takes mail for. */
  domains: string[];
  /** Where generated addresses live. */
  defaultDomain: string;
  /** When true, mail to any other domain is taken too (handy for QA). */
  catchAll: boolean;
  /** How long each message is kept after it arrives. */
  ttlSeconds: number;
}

/** `POST /api/inboxes` */
export interface ApiInbox {
  address: string;
  /** True for a generated, unguessable address. */
  random: boolean;
  /** True for a chosen name: anyone who types the same name can read it. */
  public: boolean;
  /** How long each message is kept after it arrives. */
  ttlSeconds: number;
}

/** One message in a list or a live event. */
export interface ApiMessageSummary {
  id: string;
  inbox: string;
  /** The +tag of the recipient address, if any. */
  tag: string | null;
  from: ApiMailbox | null;
  to: ApiMailbox[];
  subject: string;
  /** ISO 8601 times. */
  receivedAt: string;
  expiresAt: string;
  /** Bytes of the raw message. */
  size: number;
  preview: string;
  attachmentCount: number;
  /** Likely verification codes, most likely first. */
  codes: string[];
  /** The message could not be parsed; it is kept raw. */
  parseFailed: boolean;
}

/** An attachment of a full message. */
export interface ApiAttachment {
  /** Position in the message; the download URL uses it (never the file name). */
  index: number;
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  url: string;
}

/** A link found in the message. */
export interface ApiLink {
  url: string;
  text: string | null;
  /** The one link that most likely verifies, confirms or signs in. */
  action: boolean;
}

/** `GET /api/inboxes/{address}/messages/{id}` and the wait route. */
export interface ApiMessage extends ApiMessageSummary {
  /** The SMTP envelope; rcptTo holds only the recipients that delivered to this inbox, never the others (Bcc). */
  envelope: { mailFrom: string | null; rcptTo: string[] };
  cc: ApiMailbox[];
  replyTo: ApiMailbox[];
  /** The Date header as ISO 8601, or null when missing or unreadable. */
  date: string | null;
  messageId: string | null;
  headers: Array<{ name: string; value: string }>;
  text: string;
  /** The sanitised HTML document for an iframe, or null when the message has no HTML. */
  htmlUrl: string | null;
  textUrl: string;
  rawUrl: string;
  attachments: ApiAttachment[];
  links: ApiLink[];
  /** Sentences about parts of the message that could not be read. */
  problems: string[];
}

/** Every error: RFC 9457 `application/problem+json`. */
export interface ApiProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
}
