import type { MessageSummary } from '../mail/read/digest.js';
import type { ApiMessageSummary } from '../http/api/types.js';
import { messagePaths, toApiSummary } from '../http/api/views.js';

/**
 * The JSON body of one webhook: what a receiver needs to find and read the
 * message, its fields written as the API writes them.
 */
export type WebhookPayload = Pick<ApiMessageSummary, 'inbox' | 'id' | 'receivedAt' | 'from' | 'subject' | 'codes'> & {
  /** API URLs of the message (named apart from the API's `links`, the links found in the mail); `html` answers 404 for a message without an HTML part. */
  urls: { message: string; html: string; text: string; raw: string; report: string };
};

/**
 * The payload of one stored copy. URLs are absolute under `linkBase` (the
 * first --public-url origin), or paths relative to the server when it is
 * empty: the listening address may be 0.0.0.0 or unreachable from the receiver.
 */
export function webhookPayload(summary: MessageSummary, linkBase: string): WebhookPayload {
  const { inbox, id, receivedAt, from, subject, codes } = toApiSummary(summary);
  const paths = messagePaths(inbox, id);
  return {
    inbox, id, receivedAt, from, subject, codes,
    urls: {
      message: linkBase + paths.self,
      html: linkBase + paths.html,
      text: linkBase + paths.text,
      raw: linkBase + paths.raw,
      report: linkBase + paths.report,
    },
  };
}
