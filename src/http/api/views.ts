import { checkAddress } from '../../mail/address/address.js';
import { summaryOf, type MessageSummary, type ReadMessage } from '../../mail/read/digest.js';
import type { IntakeSession, StoredMessage } from '../../store/message.js';
import type { ApiIntakeSession, ApiMessage, ApiMessageSummary } from './types.js';

/** URLs of one message's resources, built in one place. */
export function messagePaths(inbox: string, id: string) {
  const base = `/api/inboxes/${encodeURIComponent(inbox)}/messages/${encodeURIComponent(id)}`;
  return {
    self: base,
    html: `${base}/html`,
    text: `${base}/text`,
    raw: `${base}/raw`,
    report: `${base}/report`,
    attachment: (index: number) => `${base}/attachments/${index}`,
  };
}

/** A stored summary as the API shows it. */
export function toApiSummary(summary: MessageSummary): ApiMessageSummary {
  return {
    id: summary.id,
    inbox: summary.inbox,
    tag: summary.tag,
    from: summary.from,
    to: summary.to,
    toOmitted: summary.toOmitted,
    subject: summary.subject,
    receivedAt: new Date(summary.receivedAt).toISOString(),
    expiresAt: new Date(summary.expiresAt).toISOString(),
    size: summary.size,
    preview: summary.preview,
    attachmentCount: summary.attachmentCount,
    codes: summary.codes,
    parseFailed: summary.parseFailed,
  };
}

/** A stored message and its parse as the API shows it in full. */
export function toApiMessage(stored: StoredMessage, { parsed, digest }: ReadMessage): ApiMessage {
  const { head } = stored;
  const paths = messagePaths(head.inbox, head.id);
  return {
    ...toApiSummary(summaryOf(head, digest)),
    envelope: ownEnvelope(stored),
    cc: parsed.cc,
    replyTo: parsed.replyTo,
    date: parsed.date === null ? null : new Date(parsed.date).toISOString(),
    messageId: parsed.messageId,
    headers: parsed.headers,
    text: parsed.text,
    htmlUrl: parsed.html === null ? null : paths.html,
    textUrl: paths.text,
    rawUrl: paths.raw,
    attachments: parsed.attachments.map((attachment, index) => ({
      index,
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      contentId: attachment.contentId,
      inline: attachment.inline,
      url: paths.attachment(index),
    })),
    // Found by the parse worker: scanning a body here would stall every other request.
    links: parsed.links,
    problems: parsed.problems,
  };
}

/**
 * The envelope as this inbox may see it: only the recipients that landed here.
 * The others, Bcc recipients included, are other people's inboxes and their only key.
 */
function ownEnvelope(stored: StoredMessage): ApiMessage['envelope'] {
  const { inbox } = stored.head;
  const rcptTo = stored.envelope.rcptTo.filter((recipient) => {
    const check = checkAddress(recipient, { smtpUtf8: true });
    return check.ok && check.address.inbox === inbox;
  });
  return { mailFrom: stored.envelope.mailFrom, rcptTo, session: sessionView(stored.envelope.session) };
}

/**
 * The session is shown to the inbox's reader: the client's IP and HELO name
 * are what the Received header of any receiving server shows every mailbox,
 * the deliverability report's SPF verdict (issue 20) will name them, and they
 * say nothing of the other recipients.
 */
function sessionView(session: IntakeSession | undefined): ApiIntakeSession | null {
  if (session === undefined) return null;
  return { clientIp: session.clientIp, helo: session.helo, tls: session.tls, startedAt: new Date(session.startedAt).toISOString() };
}
