import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreEvent } from '../store.js';

/** Options of the event relay. */
export interface EventRelayOptions {
  /** A dedicated connection: once subscribed it can do nothing else. */
  subscriber: Redis;
  /** The command connection, used to publish flush markers. */
  publisher: Redis;
  channel: string;
  onEvent: (event: StoreEvent) => void;
  /** Told about a payload that is not a store event; it is dropped. */
  onError: (error: unknown) => void;
}

/** Store events from every instance, delivered to this one. */
export interface EventRelay {
  /**
   * Resolves once every event published before the call has reached this
   * instance: a marker published now comes back after them, since Redis
   * delivers to one subscriber in publishing order.
   */
  flush(timeoutMs?: number): Promise<void>;
  close(): void;
}

const REMOVALS = new Set(['deleted', 'expired', 'evicted']);
const DEFAULT_FLUSH_TIMEOUT_MS = 5_000;

/**
 * Subscribes to the events channel, and to a channel of its own for flush
 * markers so that other instances never see them. ioredis subscribes again
 * by itself after a reconnect; events published while the connection was
 * down are lost, which readers survive by listing again (the hello frame).
 */
export async function createEventRelay(options: EventRelayOptions): Promise<EventRelay> {
  const { subscriber, publisher, channel } = options;
  const markerChannel = `${channel}:flush:${randomUUID()}`;
  const waiting = new Map<string, () => void>();

  const onMessage = (from: string, payload: string) => {
    if (from === markerChannel) {
      waiting.get(payload)?.();
      return;
    }
    if (from !== channel) return;
    const event = parseEvent(payload);
    if (event === null) options.onError(new Error(`ignored a malformed store event of ${payload.length} characters`));
    else options.onEvent(event);
  };
  subscriber.on('message', onMessage);
  await subscriber.subscribe(channel, markerChannel);

  return {
    async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS) {
      const token = randomUUID();
      const back = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(token);
          reject(new Error('store events did not come back from Redis in time'));
        }, timeoutMs);
        waiting.set(token, () => {
          clearTimeout(timer);
          waiting.delete(token);
          resolve();
        });
      });
      try {
        await publisher.publish(markerChannel, token);
      } catch (error) {
        waiting.get(token)?.();
        throw error;
      }
      await back;
    },
    close() {
      subscriber.off('message', onMessage);
      for (const release of [...waiting.values()]) release();
    },
  };
}

/** A store event from its JSON, or null when the payload is not one. */
function parseEvent(payload: string): StoreEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Record<string, unknown>;
  if (typeof event.inbox !== 'string') return null;
  if (event.type === 'message') {
    const message = event.message as Record<string, unknown> | null;
    if (typeof message !== 'object' || message === null || typeof message.id !== 'string') return null;
    return value as StoreEvent;
  }
  if (typeof event.type !== 'string' || !REMOVALS.has(event.type) || typeof event.id !== 'string') return null;
  return { type: event.type as 'deleted' | 'expired' | 'evicted', inbox: event.inbox, id: event.id };
}
