/**
 * The public JSON types of the API, inferred from the zod schemas in
 * schemas.ts so that the types, the validation and the OpenAPI document
 * cannot disagree. Type-only: the typed client (src/client) imports these
 * and nothing of the server at run time.
 */
import type { z } from '@hono/zod-openapi';
import type * as schemas from './schemas.js';
import type * as reportSchemas from './report-schema.js';

/** A mailbox from a header. */
export type ApiMailbox = z.infer<typeof schemas.mailboxSchema>;
/** `GET /api/domains` */
export type ApiDomains = z.infer<typeof schemas.domainsSchema>;
/** The optional body of `POST /api/inboxes`. */
export type ApiInboxRequest = z.infer<typeof schemas.inboxRequestSchema>;
/** `POST /api/inboxes` */
export type ApiInbox = z.infer<typeof schemas.inboxSchema>;
/** `GET /api/addresses/check` */
export type ApiAddressCheck = z.infer<typeof schemas.addressCheckSchema>;
/** One message in a list or a live event. */
export type ApiMessageSummary = z.infer<typeof schemas.messageSummarySchema>;
/** `GET /api/inboxes/{address}/messages` */
export type ApiMessageList = z.infer<typeof schemas.messageListSchema>;
/** An attachment of a full message. */
export type ApiAttachment = z.infer<typeof schemas.attachmentSchema>;
/** A link found in the message. */
export type ApiLink = z.infer<typeof schemas.linkSchema>;
/** What the SMTP session saw of the client that delivered a message. */
export type ApiIntakeSession = z.infer<typeof schemas.intakeSessionSchema>;
/** `GET /api/inboxes/{address}/messages/{id}` and the wait route. */
export type ApiMessage = z.infer<typeof schemas.messageSchema>;
/** `DELETE /api/inboxes/{address}` */
export type ApiDeleted = z.infer<typeof schemas.deletedSchema>;
/** `GET /healthz` */
export type ApiHealth = z.infer<typeof schemas.healthSchema>;
/** First frame on `GET /api/inboxes/{address}/events`. */
export type ApiHelloFrame = z.infer<typeof schemas.helloFrameSchema>;
/** A message arrived after the hello frame. */
export type ApiMessageFrame = z.infer<typeof schemas.messageFrameSchema>;
/** A message left the inbox: deleted by a reader, expired, or evicted to make room. */
export type ApiRemovalFrame = z.infer<typeof schemas.removalFrameSchema>;
/** Every frame the server sends on the events socket. */
export type ApiEventFrame = z.infer<typeof schemas.eventFrameSchema>;
/** The stable machine-readable kind of a problem. */
export type ProblemCode = z.infer<typeof schemas.problemCodeSchema>;
/** Every error: RFC 9457 `application/problem+json`. */
export type ApiProblemBody = z.infer<typeof schemas.problemBodySchema>;
/** `GET /api/inboxes/{address}/messages/{id}/report`: the deliverability report. */
export type ApiReport = z.infer<typeof reportSchemas.reportSchema>;
/** One check of a report. */
export type ApiReportCheck = ApiReport['checks'][number];
/** A sentence of a report (a check's message, a verdict's explanation) as its stable code and the values it names. */
export type ApiReportSentence = reportSchemas.ApiReportSentence;
/** The stable code of a report sentence, such as `message-id.missing`. */
export type ApiReportSentenceCode = ApiReportSentence['code'];
