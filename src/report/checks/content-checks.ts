/**
 * The content checks of the deliverability report: what a receiving
 * provider makes of the message itself, offline (no DNS), as pure functions.
 */
import type { ParsedMessage } from '../../mail/parse/parse.js';
import type { Authentication, ReportCheck } from '../report.js';
import { riskyAttachment } from './attachments.js';
import { htmlSizeClipping, textPart, totalSize } from './body-checks.js';
import { listUnsubscribeOneClick } from './bulk-mail.js';
import { emailClientSupport } from './client-support.js';
import { dateCheck, messageIdCheck } from './header-checks.js';
import { readHtmlFacts } from './html-facts.js';
import { imageAlt, imageTextBalance, remoteImages } from './image-checks.js';
import { linkDomainMismatch, urlShortener } from './link-checks.js';

/** What the content checks read. */
export interface CheckInput {
  parsed: ParsedMessage;
  /** Bytes of the raw message as received. */
  rawSize: number;
  authentication: Authentication;
  /** When this server received the message (ms since the epoch), which the Date header is compared with. */
  receivedAt: number;
  /** The Date header's time, read strictly (`dateHeaderTime`); null when missing or unreadable. */
  sentAt: number | null;
}

/** Every content check, in a fixed order; each returns one ReportCheck (pass when fine). */
export function contentChecks(input: CheckInput): ReportCheck[] {
  const { parsed } = input;
  // One pass over the HTML serves every image and link check.
  const facts = readHtmlFacts(parsed.html ?? '');
  return [
    listUnsubscribeOneClick({ headers: parsed.headers, links: parsed.links, authentication: input.authentication }),
    htmlSizeClipping(parsed.html),
    textPart(parsed),
    imageTextBalance(facts),
    imageAlt(facts),
    remoteImages(facts),
    linkDomainMismatch(facts),
    urlShortener(parsed.links),
    messageIdCheck(parsed.headers),
    dateCheck(parsed.headers, input.sentAt, input.receivedAt),
    riskyAttachment(parsed.attachments),
    totalSize(input.rawSize),
    emailClientSupport(parsed.html),
  ];
}
