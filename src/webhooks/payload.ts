import type { MailboxAddress } from '../mail/parse/parse.js';
import type { MessageSummary } from '../mail/read/digest.js';
import { messagePaths } from '../http/api/views.js';

/** The JSON body of one webhook: what a receiver needs to find and read the message. */
export interface WebhookPayload {
  inbox: string;
  id: string;
  /** ISO 8601, as the API writes it. */
  receivedAt: string;
  from: MailboxAddress | null;
  subject: string;
  /** Likely verification codes, most likely first. */
  codes: string[];
  /** API URLs of the message; `html` answers 404 for a message without an HTML part. */
  links: { message: string; html: string; text: string; raw: string; report: string };
}

/**
 * The payload of one stored copy. Links are absolute under `linkBase` (the
 * first --public-url origin), or paths relative to the server when it is
 * empty: the listening address may be 0.0.0.0 or unreachable from the receiver.
 */
export function webhookPayload(summary: MessageSummary, linkBase: string): WebhookPayload {
  const paths = messagePaths(summary.inbox, summary.id);
  return {
    inbox: summary.inbox,
    id: summary.id,
    receivedAt: new Date(summary.receivedAt).toISOString(),
    from: summary.from,
    subject: summary.subject,
    codes: summary.codes,
    links: {
      message: linkBase + paths.self,
      html: linkBase + paths.html,
      text: linkBase + paths.text,
      raw: linkBase + paths.raw,
      report: linkBase + paths.report,
    },
  };
}
