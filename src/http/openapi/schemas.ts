import type {
  ApiAttachment, ApiDomains, ApiInbox, ApiLink, ApiMailbox, ApiMessage, ApiMessageSummary, ApiProblemBody,
} from '../api/types.js';
import type { ApiHelloFrame, ApiMessageFrame, ApiRemovalFrame } from '../events/frames.js';
import type { JsonType, SchemaObject } from './types.js';

/** `GET /api/inboxes/{address}/messages` */
export interface ApiMessageList {
  /** The inbox the address names (lower case, without +tag). */
  address: string;
  messages: ApiMessageSummary[];
}

/** `GET /api/addresses/check` */
export interface ApiAddressCheck {
  valid: boolean;
  reason: string | null;
  address: string | null;
  public: true;
}

/** `DELETE /api/inboxes/{address}` */
export interface ApiDeleted {
  deleted: number;
}

/** `GET /healthz` */
export interface ApiHealth {
  status: 'ok';
  store: 'ok';
  messages: number;
  bytes: number;
}

/** The optional body of `POST /api/inboxes`. */
export interface ApiInboxRequest {
  localPart?: string;
  domain?: string;
}

/** The names under `components.schemas`. */
export type SchemaName =
  | 'ApiMailbox' | 'ApiDomains' | 'ApiInbox' | 'ApiInboxRequest' | 'ApiAddressCheck' | 'ApiMessageSummary'
  | 'ApiMessageList' | 'ApiAttachment' | 'ApiLink' | 'ApiMessage' | 'ApiDeleted' | 'ApiProblemBody' | 'ApiHealth'
  | 'ApiEventHello' | 'ApiEventMessage' | 'ApiEventRemoved' | 'ApiEvent';

/** A `$ref` to a schema, optionally with a description of its use. */
export function schemaRef(name: SchemaName, description?: string): SchemaObject {
  return description === undefined ? { $ref: `#/components/schemas/${name}` } : { $ref: `#/components/schemas/${name}`, description };
}

// Typed by the interface it documents: a property missing from, or extra to, the type is a compile error.
type Properties<T> = { [K in keyof T & string]-?: SchemaObject };

function object<T>(description: string, properties: Properties<T>, required: string[] = Object.keys(properties)): SchemaObject {
  return { type: 'object', description, properties, required };
}

function scalar(type: JsonType, description: string, extra: Omit<SchemaObject, 'type' | 'description'> = {}): SchemaObject {
  return { type, description, ...extra };
}

function nullable(type: JsonType, description: string, extra: Omit<SchemaObject, 'type' | 'description'> = {}): SchemaObject {
  return { type: [type, 'null'], description, ...extra };
}

function arrayOf(items: SchemaObject, description: string): SchemaObject {
  return { type: 'array', description, items };
}

const ISO_TIME = { format: 'date-time' };
const MESSAGE_ID = { pattern: '^[0-9a-hjkmnp-tv-z]{26}$' };

const summaryProperties: Properties<ApiMessageSummary> = {
  id: scalar('string', 'Unguessable message id (26 characters, sorting by arrival); valid only with its inbox.', MESSAGE_ID),
  inbox: scalar('string', 'The inbox: lower case, without +tag.', { format: 'email' }),
  tag: nullable('string', 'The +tag of the recipient address (`tag` in `name+tag@domain`), or null.'),
  from: { description: 'The From header, or null when missing.', oneOf: [schemaRef('ApiMailbox'), { type: 'null' }] },
  to: arrayOf(schemaRef('ApiMailbox'), 'The To header.'),
  subject: scalar('string', 'The decoded subject; empty when missing.'),
  receivedAt: scalar('string', 'When the message arrived.', ISO_TIME),
  expiresAt: scalar('string', 'When it will be deleted; reading never extends it.', ISO_TIME),
  size: scalar('integer', 'Bytes of the raw message.', { minimum: 0 }),
  preview: scalar('string', 'The start of the plain text, blanks folded (up to 200 characters).'),
  attachmentCount: scalar('integer', 'Number of attachments, inline images included.', { minimum: 0 }),
  codes: arrayOf(scalar('string', 'A code as written, e.g. `482913` or `K7-22QF`.'), 'Likely verification codes (one-time passwords, PINs), most likely first; empty when none.'),
  parseFailed: scalar('boolean', 'True when the message could not be parsed; it is kept raw and `rawUrl` still works.'),
};

const mailbox = object<ApiMailbox>('A mailbox from a header.', {
  name: scalar('string', 'Display name; empty when there is none.'),
  address: scalar('string', 'The email address as written.'),
});

const message = object<ApiMessage>('One message in full: everything of the summary plus the body, headers, attachments and links.', {
  ...summaryProperties,
  envelope: object<ApiMessage['envelope']>('The SMTP envelope.', {
    mailFrom: nullable('string', 'MAIL FROM, or null for a bounce (`<>`).'),
    rcptTo: arrayOf(scalar('string', 'A recipient.'), 'RCPT TO recipients as the sender gave them (other recipients of the same delivery included).'),
  }),
  cc: arrayOf(schemaRef('ApiMailbox'), 'The Cc header.'),
  replyTo: arrayOf(schemaRef('ApiMailbox'), 'The Reply-To header.'),
  date: nullable('string', 'The Date header, or null when missing or unreadable.', ISO_TIME),
  messageId: nullable('string', 'The Message-ID header, or null.'),
  headers: arrayOf(object<ApiMessage['headers'][number]>('One header line, decoded.', {
    name: scalar('string', 'Header name as written.'),
    value: scalar('string', 'Decoded value.'),
  }), 'Every header in order.'),
  text: scalar('string', 'The plain text; derived from the HTML when the message has only HTML.'),
  htmlUrl: nullable('string', 'Path of the sanitised HTML document (for an iframe), or null when the message has no HTML.'),
  textUrl: scalar('string', 'Path of the plain text.'),
  rawUrl: scalar('string', 'Path of the raw message (.eml).'),
  attachments: arrayOf(schemaRef('ApiAttachment'), 'Attachments and inline images, in message order.'),
  links: arrayOf(schemaRef('ApiLink'), 'Web (http/https) links of the message in order; at most one has `action: true`.'),
  problems: arrayOf(scalar('string', 'A sentence.'), 'Parts of the message that could not be read (bad charset, broken encoding); empty when all is well.'),
});

/** Every schema of the document, each mirroring a type in api-types.ts or above. */
export const schemas: Record<SchemaName, SchemaObject> = {
  ApiMailbox: mailbox,
  ApiDomains: object<ApiDomains>('The domains this server takes mail for.', {
    domains: arrayOf(scalar('string', 'A domain.'), 'Accepted domains.'),
    defaultDomain: scalar('string', 'Where generated (random) addresses live.'),
    catchAll: scalar('boolean', 'When true, mail to any other domain is taken too (handy for QA).'),
    ttlSeconds: scalar('number', 'How long each message is kept after it arrives.'),
  }),
  ApiInbox: object<ApiInbox>('A created inbox. Nothing is stored until mail arrives; the address is the only key.', {
    address: scalar('string', 'The inbox address, normalised (lower case, without +tag).', { format: 'email' }),
    random: scalar('boolean', 'True for a generated, unguessable address.'),
    public: scalar('boolean', 'True for a chosen name: anyone who types the same name can read it.'),
    ttlSeconds: scalar('number', 'How long each message is kept after it arrives, in seconds.'),
  }),
  ApiInboxRequest: object<ApiInboxRequest>('Leave out `localPart` for a random, unguessable address.', {
    localPart: scalar('string', 'A chosen name (the part before @): Latin letters, digits, dot, hyphen, underscore, plus. Chosen names are public.'),
    domain: scalar('string', 'One of the accepted domains; defaults to the default domain.'),
  }, []),
  ApiAddressCheck: object<ApiAddressCheck>('Whether a chosen name would be accepted, for live validation in a form.', {
    valid: scalar('boolean', 'True when the name and domain are accepted.'),
    reason: nullable('string', 'Why not, as a sentence a person can act on; null when valid.'),
    address: nullable('string', 'The normalised address when valid; null otherwise.'),
    public: scalar('boolean', 'Always true: a chosen name can be read by anyone who types it.', { const: true }),
  }),
  ApiMessageSummary: object<ApiMessageSummary>('One message in a list or a live event.', summaryProperties),
  ApiMessageList: object<ApiMessageList>('The messages of an inbox that pass the filters, newest first.', {
    address: scalar('string', 'The inbox the address names (lower case, without +tag).'),
    messages: arrayOf(schemaRef('ApiMessageSummary'), 'Newest first, at most `limit`.'),
  }),
  ApiAttachment: object<ApiAttachment>('An attachment or inline image.', {
    index: scalar('integer', 'Position in the message; the download URL uses it, never the file name.', { minimum: 0 }),
    filename: nullable('string', 'The file name the sender gave, or null. Only ever data.'),
    contentType: scalar('string', 'The declared media type.'),
    size: scalar('integer', 'Bytes after decoding.', { minimum: 0 }),
    contentId: nullable('string', 'Content-ID without angle brackets (for `cid:` images), or null.'),
    inline: scalar('boolean', 'True for a part shown inside the HTML.'),
    url: scalar('string', 'Path that downloads it.'),
  }),
  ApiLink: object<ApiLink>('A web link found in the message.', {
    url: scalar('string', 'The link, always http or https.', { format: 'uri' }),
    text: nullable('string', 'The visible anchor text, or null for a plain-text link.'),
    action: scalar('boolean', 'True for the one link that most likely verifies, confirms, resets or signs in.'),
  }),
  ApiMessage: message,
  ApiDeleted: object<ApiDeleted>('How many messages were removed.', {
    deleted: scalar('integer', 'Messages the inbox held.', { minimum: 0 }),
  }),
  ApiProblemBody: object<ApiProblemBody>('An RFC 9457 problem document (`application/problem+json`); every error is one.', {
    type: scalar('string', 'Always `about:blank`: the status says what kind of problem it is.'),
    title: scalar('string', 'A short summary, the same for every occurrence.'),
    status: scalar('integer', 'The HTTP status code.'),
    detail: scalar('string', 'What went wrong and what to do, as a sentence a person understands.'),
  }),
  ApiHealth: object<ApiHealth>('The server and its store are up.', {
    status: scalar('string', 'Always `ok` with status 200.', { const: 'ok' }),
    store: scalar('string', 'The message store answered.', { const: 'ok' }),
    messages: scalar('integer', 'Messages stored.', { minimum: 0 }),
    bytes: scalar('integer', 'Bytes of mail held.', { minimum: 0 }),
  }),
  ApiEventHello: object<ApiHelloFrame>('First frame after connecting: the messages already there.', {
    type: scalar('string', 'Frame type.', { const: 'hello' }),
    address: scalar('string', 'The inbox.'),
    messages: arrayOf(schemaRef('ApiMessageSummary'), 'Present messages, newest first.'),
  }),
  ApiEventMessage: object<ApiMessageFrame>('A message arrived.', {
    type: scalar('string', 'Frame type.', { const: 'message' }),
    message: schemaRef('ApiMessageSummary'),
  }),
  ApiEventRemoved: object<ApiRemovalFrame>('A message left the inbox: deleted by someone, expired, or evicted to make room.', {
    type: scalar('string', 'Why it left.', { enum: ['deleted', 'expired', 'evicted'] }),
    id: scalar('string', 'The message id.', MESSAGE_ID),
  }),
  ApiEvent: {
    description: 'One WebSocket text frame of the live event stream, as JSON.',
    oneOf: [schemaRef('ApiEventHello'), schemaRef('ApiEventMessage'), schemaRef('ApiEventRemoved')],
  },
};
