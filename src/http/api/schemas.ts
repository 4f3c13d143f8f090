/**
 * The JSON shapes of the public API as zod schemas: the one definition from
 * which the route types, the public TypeScript types (types.ts) and the
 * OpenAPI document's `components.schemas` all come. They are kept apart from
 * the store's internal types so either can change without silently changing
 * the other; views.ts maps one to the other.
 */
import { z } from '@hono/zod-openapi';
import { ADDRESS_REASON_CODES } from '../../mail/address/reasons.js';

const MESSAGE_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;

const isoTime = (description: string) => z.iso.datetime().openapi({ description });
const count = (description: string) => z.number().int().min(0).openapi({ description });
const text = (description: string) => z.string().openapi({ description });
const nullableText = (description: string) => z.string().nullable().openapi({ description });
const messageId = (description: string) => z.string().regex(MESSAGE_ID).openapi({ description });

/** A mailbox from a header. */
export const mailboxSchema = z.object({
  name: text('Display name; empty when there is none.'),
  address: text('The email address as written.'),
}).openapi('ApiMailbox', { description: 'A mailbox from a header.' });

// A union rather than .nullable(): the generator would make the shared component itself nullable.
const mailboxOrNull = (description: string) => z.union([mailboxSchema, z.null()]).openapi({ description });
const mailboxes = (description: string) => z.array(mailboxSchema).openapi({ description });

/** `GET /api/domains` */
export const domainsSchema = z.object({
  domains: z.array(text('A domain.')).openapi({ description: 'Accepted domains.' }),
  defaultDomain: text('Where generated (random) addresses live.'),
  catchAll: z.boolean().openapi({ description: 'When true, mail to any other domain is taken too (handy for QA).' }),
  ttlSeconds: z.number().openapi({ description: 'How long each message is kept after it arrives.' }),
}).openapi('ApiDomains', { description: 'The domains this server takes mail for.' });

/** The optional body of `POST /api/inboxes`; its messages are the `detail` of a 400. */
export const inboxRequestSchema = z.strictObject({
  localPart: z.string({ error: 'localPart must be a string.' }).optional().openapi({
    description: 'A chosen name (the part before @): Latin letters, digits, dot, hyphen, underscore, plus. Chosen names are public.',
  }),
  domain: z.string({ error: 'domain must be a string.' }).optional().openapi({ description: 'One of the accepted domains; defaults to the default domain.' }),
}, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `The body has no field ${issue.keys.map((key) => `"${key}"`).join(', ')}; it takes localPart and domain, both optional.`
    : 'The request body must be a JSON object such as {"localPart": "name"}.'),
}).openapi('ApiInboxRequest', { description: 'Leave out `localPart` for a random, unguessable address. Any other field is refused.' });

/** `POST /api/inboxes` */
export const inboxSchema = z.object({
  address: z.email().openapi({ description: 'The inbox address, normalised (lower case, without +tag).' }),
  random: z.boolean().openapi({ description: 'True for a generated, unguessable address.' }),
  public: z.boolean().openapi({ description: 'True for a chosen name: anyone who types the same name can read it.' }),
  ttlSeconds: z.number().openapi({ description: 'How long each message is kept after it arrives, in seconds.' }),
}).openapi('ApiInbox', { description: 'A created inbox. Nothing is stored until mail arrives; the address is the only key.' });

/** Why an address, a chosen name or a domain was refused, for programs and for pages in other languages. */
export const addressReasonCodeSchema = z.enum(ADDRESS_REASON_CODES).openapi('ApiAddressReasonCode', {
  description: 'Which rule refused the address, name or domain: stable, unlike the English sentence. '
    + 'README lists each code with its sentence; a later version may add codes.',
});

/** The values the sentence of a refusal names, such as the character, a length and its limit, or the accepted domains. */
export const addressReasonValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
  .openapi('ApiAddressReasonValues', {
    description: 'What the sentence names, by name: `character`, `codePoint` (U+XXXX), `lookalikeOf`, `script` (ISO 15924, e.g. Cyrl), '
      + '`length` and `limit`, `count`, `label`, `domain`, `domains`, `names`, `address`; empty when it names nothing.',
  });

/** `GET /api/addresses/check` */
export const addressCheckSchema = z.object({
  valid: z.boolean().openapi({ description: 'True when the name and domain are accepted.' }),
  reason: nullableText('Why not, as a sentence a person can act on; null when valid.'),
  reasonCode: z.union([addressReasonCodeSchema, z.null()]).openapi({ description: 'The stable code of `reason`; null when valid.' }),
  reasonValues: z.union([addressReasonValuesSchema, z.null()]).openapi({ description: 'The values `reason` names; null when valid.' }),
  address: nullableText('The normalised address when valid; null otherwise.'),
  public: z.literal(true).openapi({ description: 'Always true: a chosen name can be read by anyone who types it.' }),
}).openapi('ApiAddressCheck', { description: 'Whether a chosen name would be accepted, for live validation in a form.' });

// Spread into the full message too, so each schema is one flat object rather than an allOf.
const summaryShape = {
  id: messageId('Unguessable message id (26 characters, sorting by arrival); valid only with its inbox.'),
  inbox: z.email().openapi({ description: 'The inbox: lower case, without +tag.' }),
  tag: nullableText('The +tag of the recipient address (`tag` in `name+tag@domain`), or null.'),
  from: mailboxOrNull('The From header, or null when missing.'),
  to: mailboxes('The first mailboxes of the To header: up to 100, and as many as fit in 1 KB of JSON.'),
  toOmitted: count('Mailboxes of the To header left out of `to`; 0 unless the header is long. The message\'s `headers` have them all.'),
  subject: text('The decoded subject, cut at 400 bytes of JSON; empty when missing.'),
  receivedAt: isoTime('When the message arrived.'),
  expiresAt: isoTime('When it will be deleted; reading never extends it.'),
  size: count('Bytes of the raw message.'),
  preview: text('The start of the plain text, blanks folded (up to 200 characters).'),
  attachmentCount: count('Number of attachments, inline images included.'),
  codes: z.array(text('A code as written, e.g. `482913` or `K7-22QF`.'))
    .openapi({ description: 'Likely verification codes (one-time passwords, PINs), most likely first; empty when none.' }),
  parseFailed: z.boolean().openapi({ description: 'True when the message could not be parsed; it is kept raw and `rawUrl` still works.' }),
};

/** One message in a list or a live event. */
export const messageSummarySchema = z.object(summaryShape).openapi('ApiMessageSummary', {
  description: 'One message in a list or a live event, at most 4 KB of JSON: its display fields (subject, names, addresses, preview) leave out control and invisible characters and are cut in bytes.',
});

/** `GET /api/inboxes/{address}/messages` */
export const messageListSchema = z.object({
  address: text('The inbox the address names (lower case, without +tag).'),
  messages: z.array(messageSummarySchema).openapi({ description: 'Newest first, at most `limit`.' }),
}).openapi('ApiMessageList', { description: 'The messages of an inbox that pass the filters, newest first.' });

/** An attachment of a full message. */
export const attachmentSchema = z.object({
  index: count('Position in the message; the download URL uses it, never the file name.'),
  filename: nullableText('The file name the sender gave, or null. Only ever data.'),
  contentType: text('The declared media type.'),
  size: count('Bytes after decoding.'),
  contentId: nullableText('Content-ID without angle brackets (for `cid:` images), or null.'),
  inline: z.boolean().openapi({ description: 'True for a part shown inside the HTML.' }),
  url: text('Path that downloads it.'),
}).openapi('ApiAttachment', { description: 'An attachment or inline image.' });

/** A link found in the message. */
export const linkSchema = z.object({
  url: z.url().openapi({ description: 'The link, always http or https.' }),
  text: nullableText('The visible anchor text, or null for a plain-text link.'),
  action: z.boolean().openapi({ description: 'True for the one link that most likely verifies, confirms, resets or signs in.' }),
}).openapi('ApiLink', { description: 'A web link found in the message.' });

/** What the SMTP session saw of the client that delivered a message. */
export const intakeSessionSchema = z.object({
  clientIp: text('IP address of the client that delivered the message, as this server\'s socket saw it; IPv4 for an IPv4 client on a dual-stack port.'),
  helo: text('The HELO or EHLO name the client gave, in lower case.'),
  tls: z.boolean().openapi({ description: 'True when the message came over TLS (after STARTTLS).' }),
  startedAt: isoTime('When the client began the transaction with MAIL FROM.'),
}).openapi('ApiIntakeSession', { description: 'The SMTP session that delivered the message: the client, its greeting and whether it was encrypted.' });

/** `GET /api/inboxes/{address}/messages/{id}` and the wait route. */
export const messageSchema = z.object({
  ...summaryShape,
  envelope: z.object({
    mailFrom: nullableText('MAIL FROM, or null for a bounce (`<>`).'),
    rcptTo: z.array(text('A recipient.'))
      .openapi({ description: 'The RCPT TO recipients that delivered to this inbox, as the sender gave them; never the others (Bcc).' }),
    session: z.union([intakeSessionSchema, z.null()])
      .openapi({ description: 'The SMTP session that delivered it, or null for a message stored before this server recorded sessions.' }),
  }).openapi({ description: 'The SMTP envelope.' }),
  cc: mailboxes('The Cc header.'),
  replyTo: mailboxes('The Reply-To header.'),
  date: z.iso.datetime().nullable().openapi({ description: 'The Date header, or null when missing or unreadable.' }),
  messageId: nullableText('The Message-ID header, or null.'),
  headers: z.array(z.object({
    name: text('Header name as written.'),
    value: text('Decoded value.'),
  }).openapi({ description: 'One header line, decoded.' })).openapi({ description: 'Every header in order.' }),
  text: text('The plain text; derived from the HTML when the message has only HTML, from its first 256 KiB (`problems` says when it is longer).'),
  htmlUrl: nullableText('Path of the sanitised HTML document (for an iframe), or null when the message has no HTML.'),
  textUrl: text('Path of the plain text.'),
  rawUrl: text('Path of the raw message (.eml).'),
  attachments: z.array(attachmentSchema).openapi({ description: 'Attachments and inline images, in message order.' }),
  links: z.array(linkSchema).openapi({ description: 'Web (http/https) links of the message in order; at most one has `action: true`.' }),
  problems: z.array(text('A sentence.'))
    .openapi({ description: 'Parts of the message that could not be read (bad charset, broken encoding); empty when all is well.' }),
}).openapi('ApiMessage', { description: 'One message in full: everything of the summary plus the body, headers, attachments and links.' });

/** `DELETE /api/inboxes/{address}` */
export const deletedSchema = z.object({
  deleted: count('Messages the inbox held.'),
}).openapi('ApiDeleted', { description: 'How many messages were removed.' });

/** `GET /healthz` */
export const healthSchema = z.object({
  status: z.literal('ok').openapi({ description: 'Always `ok` with status 200.' }),
  store: z.literal('ok').openapi({ description: 'The message store answered.' }),
  messages: count('Messages stored.'),
  bytes: count('Bytes of mail held.'),
}).openapi('ApiHealth', { description: 'The server and its store are up.' });

/** First frame on the events socket: the newest messages of the inbox, newest first. */
export const helloFrameSchema = z.object({
  type: z.literal('hello').openapi({ description: 'Frame type.' }),
  address: text('The inbox the socket follows, normalised (lower case, +tag folded).'),
  messages: z.array(messageSummarySchema).openapi({ description: 'Present messages, newest first: all of them, or the newest 200.' }),
  more: z.boolean().openapi({
    description: 'True when the inbox holds older messages than those in `messages` (only when `--inbox-limit` is above 200); '
      + 'list them with `GET /api/inboxes/{address}/messages?before=<id of the last one here>`.',
  }),
}).openapi('ApiEventHello', { description: 'First frame after connecting: the messages already there, at most 200.' });

/** A message arrived after the hello frame. */
export const messageFrameSchema = z.object({
  type: z.literal('message').openapi({ description: 'Frame type.' }),
  message: messageSummarySchema,
}).openapi('ApiEventMessage', { description: 'A message arrived.' });

/** A message left the inbox; the frame never names the inbox, which the socket already implies. */
export const removalFrameSchema = z.object({
  type: z.enum(['deleted', 'expired', 'evicted']).openapi({ description: 'Why it left.' }),
  id: messageId('The message id.'),
}).openapi('ApiEventRemoved', { description: 'A message left the inbox: deleted by someone, expired, or evicted to make room.' });

/** Every frame the server sends on the events socket; clients send nothing. */
export const eventFrameSchema = z.discriminatedUnion('type', [helloFrameSchema, messageFrameSchema, removalFrameSchema])
  .openapi('ApiEvent', { description: 'One WebSocket text frame of the live event stream, as JSON.' });

/** The stable `code` of a problem, for programs; `title` and `detail` are for people and may be reworded. */
export const problemCodeSchema = z.enum([
  'unknown_parameter', 'invalid_parameter', 'unknown_field', 'invalid_body',
  'invalid_address', 'domain_not_accepted', 'invalid_name',
  'not_found', 'message_not_found', 'attachment_not_found', 'no_html', 'message_gone',
  'no_message_yet', 'payload_too_large', 'rate_limited', 'too_many_waits', 'too_many_connections_from_client', 'server_busy', 'store_unavailable',
  'too_many_reads', 'report_failed', 'starting', 'stopping',
  'method_not_allowed', 'origin_not_allowed',
  'http_error', 'internal_error',
]).openapi({
  description: 'What went wrong, for programs to branch on: stable, unlike `title` and `detail`. '
    + 'A later version may add codes; treat an unknown one by its `status`.',
});

/** Every error: RFC 9457 `application/problem+json`. */
export const problemBodySchema = z.object({
  type: text('Always `about:blank`: the status and `code` say what kind of problem it is.'),
  title: text('A short summary, the same for every occurrence.'),
  status: z.number().int().openapi({ description: 'The HTTP status code.' }),
  code: problemCodeSchema,
  detail: text('What went wrong and what to do, as a sentence a person understands; for a refused parameter, its name and the ones the route takes.'),
  // Undescribed here: a description on a shared component's use would become the component's own.
  reasonCode: addressReasonCodeSchema.optional(),
  reasonValues: addressReasonValuesSchema.optional(),
}).openapi('ApiProblemBody', {
  description: 'An RFC 9457 problem document (`application/problem+json`); every error is one. '
    + 'With `invalid_address`, `invalid_name` and `domain_not_accepted` it also has `reasonCode`, which rule refused the address, name or domain, '
    + 'and `reasonValues`, what `detail` names, so a page can say `detail` in its own language.',
});
