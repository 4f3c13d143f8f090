import type { MessageSummary } from '../../mail/read/digest.js';
import type { RemovalReason } from '../../store/store.js';
import type { ApiHelloFrame, ApiMessageFrame, ApiRemovalFrame } from '../api/types.js';
import { toApiSummary } from '../api/views.js';

/** The hello frame as sent. */
export function helloFrame(address: string, messages: readonly MessageSummary[], more: boolean): string {
  const frame: ApiHelloFrame = { type: 'hello', address, messages: messages.map(toApiSummary), more };
  return JSON.stringify(frame);
}

/** A store event as a feed delivers it: a new message comes with its summary. */
export type FeedEvent = { type: 'message'; message: MessageSummary } | { type: RemovalReason; id: string };

/** One event as sent; the frame never names the inbox, which the socket already implies. */
export function eventFrame(event: FeedEvent): string {
  const frame: ApiMessageFrame | ApiRemovalFrame = event.type === 'message'
    ? { type: 'message', message: toApiSummary(event.message) }
    : { type: event.type, id: event.id };
  return JSON.stringify(frame);
}
