import type { SMTPServerAddress } from 'smtp-server';
import type { RejectionReason } from '../runtime/metrics.js';
import { OverShareError, StoreUnavailableError, type SenderShare } from '../store/store.js';
import { SmtpReply } from './replies.js';

/**
 * What the store's refusals sound like on SMTP. A client that has used its
 * share of the store gets 452 4.3.1 ("mail system full", RFC 3463, for this
 * client only), with the same sentence whether a SIZE declared at MAIL FROM
 * shows it up front or the message shows it once it has arrived. Anything
 * else the store could not do is 451 4.3.0.
 */

/** The refusal for mail from `client`, which holds `share.held` bytes of the `share.share` it may. */
export function overShareReply(client: string, share: SenderShare): SmtpReply {
  return new SmtpReply(452, '4.3.1', `Mail from ${client} already takes ${aboutSize(share.held)} of the ${aboutSize(share.share)} one client may keep on this server; this message does not fit. `
    + 'Try again once some of it has expired or been deleted, or ask the operator to raise --memory-share.');
}

/** The counted reason and the reply for a message the store did not take from `client`. */
export function storeRefusal(error: unknown, client: string): { reason: RejectionReason; reply: SmtpReply } {
  if (error instanceof OverShareError) return { reason: 'over_share', reply: overShareReply(client, error.share) };
  const detail = error instanceof StoreUnavailableError ? error.message : 'Something went wrong while storing it.';
  return { reason: 'store_unavailable', reply: new SmtpReply(451, '4.3.0', `The message could not be stored: ${detail} Please try again later.`) };
}

/** True when the store refused for a reason of its own, rather than failing unexpectedly. */
export function isStoreRefusal(error: unknown): boolean {
  return error instanceof OverShareError || error instanceof StoreUnavailableError;
}

/** The SIZE a MAIL FROM declared (RFC 1870), or null when it declared none. */
export function declaredSize(address: SMTPServerAddress): number | null {
  const size = address.args === false ? undefined : address.args.SIZE;
  // smtp-server has already refused a SIZE that is not 1 to 20 digits.
  return typeof size === 'string' ? Number(size) : null;
}

// Sizes for people: "11.8 MB", "256 KB".
function aboutSize(bytes: number): string {
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}
