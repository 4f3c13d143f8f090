import type {
  ApiAddressCheck, ApiDeleted, ApiDomains, ApiEventFrame, ApiHealth, ApiInbox, ApiMessage, ApiMessageList, ApiMessageSummary, ApiProblemBody, ProblemCode,
} from '../api/types.js';
import { addressReason, type AddressReason } from '../../mail/address/reasons.js';

/**
 * The address the examples use: a chosen name, so obviously an example.
 * Like every chosen name it is public; anyone who copies it reads the same inbox.
 */
export const EXAMPLE_ADDRESS = 'example@ephemail.test';

// The shape of a generated address with no randomness in it: one someone copies is plainly not theirs.
const EXAMPLE_RANDOM_ADDRESS = 'xxxxxx-xxxxxx-xxxxxx@ephemail.test';

/** A message id, as the examples use it. */
export const EXAMPLE_MESSAGE_ID = '01k0x7d9q3m8f5t2v6w4yzab7c';

const MESSAGE_PATH = `/api/inboxes/${encodeURIComponent(EXAMPLE_ADDRESS)}/messages/${EXAMPLE_MESSAGE_ID}`;
const VERIFY_URL = 'https://app.acme.example/verify?token=Zq81xT4mP0aR2bV7';

/** `GET /api/domains` with the default `--domains ephemail.test,*`. */
export const exampleDomains: ApiDomains = { domains: ['ephemail.test'], defaultDomain: 'ephemail.test', catchAll: true, ttlSeconds: 3600 };

/** A random inbox and a chosen one. */
export const exampleInboxes: { random: ApiInbox; chosen: ApiInbox } = {
  random: { address: EXAMPLE_RANDOM_ADDRESS, random: true, public: false, ttlSeconds: 3600 },
  chosen: { address: 'qa-signup@ephemail.test', random: false, public: true, ttlSeconds: 3600 },
};

/** Answers of the address check. */
export const exampleChecks: { valid: ApiAddressCheck; invalid: ApiAddressCheck } = {
  valid: { valid: true, reason: null, reasonCode: null, reasonValues: null, address: 'qa-signup@ephemail.test', public: true },
  invalid: {
    valid: false, reason: "The name cannot have two dots in a row ('..').", reasonCode: 'name_double_dot', reasonValues: {}, address: null, public: true,
  },
};

/** A sign-up confirmation as it appears in a list. */
const exampleSummary: ApiMessageSummary = {
  id: EXAMPLE_MESSAGE_ID,
  inbox: EXAMPLE_ADDRESS,
  tag: null,
  from: { name: 'Acme', address: 'no-reply@acme.example' },
  to: [{ name: '', address: EXAMPLE_ADDRESS }],
  toOmitted: 0,
  subject: 'Confirm your Acme account',
  receivedAt: '2026-03-14T09:26:53.000Z',
  expiresAt: '2026-03-14T10:26:53.000Z',
  size: 6214,
  preview: 'Welcome to Acme! Your confirmation code is 482913. Or confirm with one click: Verify my email address',
  attachmentCount: 1,
  codes: ['482913'],
  parseFailed: false,
};

/** The same message in full, with its code and its verification link. */
export const exampleMessage: ApiMessage = {
  ...exampleSummary,
  envelope: {
    mailFrom: 'bounces+4411@mailer.acme.example',
    rcptTo: [EXAMPLE_ADDRESS],
    session: { clientIp: '198.51.100.25', helo: 'mailer.acme.example', tls: true, startedAt: '2026-03-14T09:26:52.000Z' },
  },
  cc: [],
  replyTo: [{ name: 'Acme Support', address: 'support@acme.example' }],
  date: '2026-03-14T09:26:52.000Z',
  messageId: '<20260314092652.4411@mailer.acme.example>',
  headers: [
    { name: 'From', value: 'Acme <no-reply@acme.example>' },
    { name: 'To', value: EXAMPLE_ADDRESS },
    { name: 'Subject', value: 'Confirm your Acme account' },
    { name: 'Date', value: 'Sat, 14 Mar 2026 09:26:52 +0000' },
    { name: 'Message-ID', value: '<20260314092652.4411@mailer.acme.example>' },
  ],
  text: `Welcome to Acme!\n\nYour confirmation code is 482913.\n\nOr confirm with one click:\nVerify my email address <${VERIFY_URL}>\n\nPrivacy: https://acme.example/privacy\n`,
  htmlUrl: `${MESSAGE_PATH}/html`,
  textUrl: `${MESSAGE_PATH}/text`,
  rawUrl: `${MESSAGE_PATH}/raw`,
  attachments: [{
    index: 0, filename: 'logo.png', contentType: 'image/png', size: 4096, contentId: 'logo@acme.example', inline: true, url: `${MESSAGE_PATH}/attachments/0`,
  }],
  links: [
    { url: VERIFY_URL, text: 'Verify my email address', action: true },
    { url: 'https://acme.example/privacy', text: 'Privacy', action: false },
  ],
  problems: [],
};

/** `GET /api/inboxes/{address}/messages` */
export const exampleList: ApiMessageList = { address: EXAMPLE_ADDRESS, messages: [exampleSummary] };

/** `DELETE /api/inboxes/{address}` */
export const exampleDeleted: ApiDeleted = { deleted: 3 };

/** `GET /healthz` */
export const exampleHealth: ApiHealth = { status: 'ok', store: 'ok', messages: 1284, bytes: 7_340_032 };

/** One frame of each kind. */
export const exampleEvents: { hello: ApiEventFrame; message: ApiEventFrame; removed: ApiEventFrame } = {
  hello: { type: 'hello', address: EXAMPLE_ADDRESS, messages: [], more: false },
  message: { type: 'message', message: exampleSummary },
  removed: { type: 'expired', id: EXAMPLE_MESSAGE_ID },
};

function problem(status: number, code: ProblemCode, title: string, detail: string): ApiProblemBody {
  return { type: 'about:blank', title, status, code, detail };
}

function refusal(code: ProblemCode, title: string, reason: AddressReason): ApiProblemBody {
  return { ...problem(400, code, title, reason.text), reasonCode: reason.code, reasonValues: reason.values };
}

/** One problem per status the API answers with. */
export const exampleProblems = {
  unknownParameter: problem(400, 'unknown_parameter', 'Unknown parameter', 'Unknown query parameter "subjet"; this route takes subject, from, to, since, timeout.'),
  invalidFilter: problem(400, 'invalid_parameter', 'Invalid since', 'since must be a message id or an ISO time such as 2026-01-31T12:00:00Z; "yesterday" is neither.'),
  invalidName: refusal('invalid_name', 'Invalid name', addressReason('name_non_latin', { character: 'ж', script: 'Cyrl' })),
  invalidBody: problem(400, 'invalid_body', 'Invalid body', 'localPart must be a string.'),
  unknownField: problem(400, 'unknown_field', 'Unknown field', 'The body has no field "name"; it takes localPart and domain, both optional.'),
  invalidAddress: refusal('invalid_address', 'Invalid address', addressReason('address_no_at')),
  domainNotAccepted: refusal('domain_not_accepted', 'Domain not accepted', addressReason('domain_not_accepted', { domain: 'example.org', domains: ['ephemail.test'] })),
  notFound: problem(404, 'message_not_found', 'Message not found', 'This inbox has no message with that id; it may have expired or been deleted.'),
  attachmentNotFound: problem(404, 'attachment_not_found', 'Attachment not found', 'This message has 1 attachment(s), numbered from 0; there is no number "3".'),
  gone: problem(404, 'message_gone', 'Message gone', 'The matching message was deleted or expired before it could be returned.'),
  noHtml: problem(404, 'no_html', 'No HTML', 'This message has no HTML part; read its text instead.'),
  timeout: problem(408, 'no_message_yet', 'No message yet', `No matching message reached ${EXAMPLE_ADDRESS} within 30 s; call again to keep waiting.`),
  tooLarge: problem(413, 'payload_too_large', 'Payload Too Large', 'The request body is larger than 16 KB; an inbox request needs only a name and a domain.'),
  tooMany: problem(429, 'rate_limited', 'Too Many Requests', 'Too many requests from your address; try again in 2 seconds.'),
  unavailable: problem(503, 'store_unavailable', 'Service Unavailable', 'The message store cannot be reached, so mail cannot be stored or read right now.'),
  starting: problem(503, 'starting', 'Starting', 'The server is still loading what it needs to read mail; it will be ready in a few seconds.'),
  stopping: problem(503, 'stopping', 'Stopping', 'This instance is stopping; a load balancer should send new requests and connections to another one.'),
  internal: problem(500, 'internal_error', 'Internal Server Error', 'Something went wrong on the server; the error was logged. Please try again.'),
} satisfies Record<string, ApiProblemBody>;
