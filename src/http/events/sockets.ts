import type { Buffer } from 'node:buffer';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../../runtime/clock.js';
import type { Hub } from '../../hub/hub.js';
import type { Logger } from '../../runtime/log.js';
import type { DomainPolicy } from '../../mail/address/address.js';
import type { Summaries } from '../../mail/read/summaries.js';
import type { StoreEvent } from '../../store/store.js';
import { openInboxFeed } from './feed.js';
import { eventFrame, helloFrame, type FeedEvent } from './frames.js';
import { isAllowedOrigin } from './origin.js';
import { inboxFromParam } from '../api/inbox-param.js';
import { ApiProblem } from '../problem.js';
import { answerAndClose } from '../raw-answer.js';
import { pathOf } from '../request-path.js';

const EVENTS_PATH = /^\/api\/inboxes\/([^/]+)\/events$/;
// Long enough to cost nothing with thousands of sockets, short enough to beat the idle timeouts (often 60 s) of proxies and NAT.
const PING_INTERVAL_MS = 30_000;
// Several hellos of a full 200-message inbox: room for any burst, yet a stalled reader cannot hold much memory.
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
// Clients have nothing to say; this only bounds what a misbehaving one can make the server read.
const MAX_PAYLOAD_BYTES = 1024;
// How long clients get to answer the closing handshake at shutdown before they are cut off.
const CLOSE_GRACE_MS = 2_000;

/** What the events endpoint is built from. */
export interface EventSocketsOptions {
  /** The HTTP server whose 'upgrade' requests this takes over; the sockets share its port. */
  server: Server;
  hub: Hub;
  summaries: Pick<Summaries, 'newest' | 'of'>;
  /** Drives the heartbeat and the shutdown grace, so tests can move time. */
  clock: Clock;
  domains: DomainPolicy;
  /** Origins (as browsers send them) whose pages may connect; a request without an Origin header always may. */
  allowedOrigins: readonly string[];
  log: Logger;
  /** A client with more than this many bytes waiting to be sent is dropped. */
  maxBufferedBytes?: number;
  /**
   * Asked first about every handshake (the per-client rate limit); a refusal
   * is answered before anything else is looked at. This module knows nothing
   * of how the decision is made.
   */
  admitClient?: (request: IncomingMessage) => Promise<ClientRefusal | null>;
}

/** Why `admitClient` turned a handshake away, and when the client may try again. */
export interface ClientRefusal {
  status: number;
  /** One sentence for the response body. */
  reason: string;
  retryAfterSeconds: number;
}

/** The running events endpoint. */
export interface EventSockets {
  /** Sockets open now. */
  openSockets(): number;
  /** Refuses new sockets and closes every open one with 1001 (going away); resolves once all are closed. */
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  /** Answered the last ping (or has not been pinged yet). */
  alive: boolean;
}

type Admission = { ok: true; inbox: string } | { ok: false; status: number; reason: string; headers?: Record<string, string> };

const SHUTTING_DOWN: Admission = { ok: false, status: 503, reason: 'The server is shutting down; reconnect in a moment.' };

/**
 * `GET /api/inboxes/{address}/events` as a WebSocket: a hello frame with the
 * inbox as it is, then every change as it happens. Everything comes from the
 * hub; this module only turns hub events into frames for the sockets of one inbox.
 */
export function createEventSockets(options: EventSocketsOptions): EventSockets {
  const { server, hub, summaries, clock, domains, log } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const origins = new Set(options.allowedOrigins);
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  const clients = new Set<Client>();
  // Every subscriber of an inbox gets the same event object, so each event is turned into JSON once.
  const frames = new WeakMap<StoreEvent, string>();
  let cancelHeartbeat: (() => void) | null = null;
  let closing = false;

  async function admit(request: IncomingMessage): Promise<Admission> {
    if (closing) return SHUTTING_DOWN;
    const refusal = await options.admitClient?.(request) ?? null;
    // The count may have taken a moment, and close() does not wait for handshakes.
    if (closing) return SHUTTING_DOWN;
    if (refusal !== null) {
      return { ok: false, status: refusal.status, reason: refusal.reason, headers: { 'Retry-After': String(Math.ceil(refusal.retryAfterSeconds)) } };
    }
    const path = pathOf(request);
    const param = EVENTS_PATH.exec(path)?.[1];
    if (param === undefined) {
      return { ok: false, status: 404, reason: `There is no WebSocket endpoint at ${path}; live events are at /api/inboxes/{address}/events.` };
    }
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin, origins, request.headers.host)) {
      log.info({ event: 'socket_refused', origin, remote: request.socket.remoteAddress }, 'a page of another origin asked to follow an inbox');
      return { ok: false, status: 403, reason: `Pages from ${origin} may not follow inboxes here; the server allows its own pages and ${[...origins].join(', ')} (see --public-url).` };
    }
    let address: string;
    try {
      address = decodeURIComponent(param);
    } catch {
      return { ok: false, status: 400, reason: 'The address in the path is not valid percent-encoding.' };
    }
    try {
      return { ok: true, inbox: inboxFromParam(address, domains) };
    } catch (error) {
      if (error instanceof ApiProblem) return { ok: false, status: 400, reason: `${error.title}: ${error.detail}` };
      throw error;
    }
  }

  async function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Node leaves an upgraded socket without an error listener, and the admission may wait for the shared count:
    // a client that resets meanwhile must not crash the process.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    let admission: Admission;
    try {
      admission = await admit(request);
    } catch (error) {
      log.error({ err: error, remote: request.socket.remoteAddress }, 'checking an event socket request failed');
      admission = { ok: false, status: 500, reason: 'Something went wrong on the server; the error was logged.' };
    }
    socket.off('error', onSocketError);
    if (!admission.ok) {
      refuse(socket, admission.status, admission.reason, admission.headers);
      return;
    }
    if (socket.destroyed) return;
    const { inbox } = admission;
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, inbox, request.socket.remoteAddress));
  }

  // Logs name the remote end, never the inbox: its address is all it takes to read it.
  function attach(ws: WebSocket, inbox: string, remote: string | undefined): void {
    const client: Client = { ws, alive: true };
    clients.add(client);
    if (cancelHeartbeat === null) scheduleHeartbeat();
    ws.on('pong', () => {
      client.alive = true;
    });
    // Oversized or malformed client frames end up here; ws closes the socket itself.
    ws.on('error', (error) => log.debug({ err: error, remote }, 'event socket error'));
    const stopFeed = openInboxFeed({ hub, summaries }, inbox, {
      hello: (messages, more) => send(ws, helloFrame(inbox, messages, more), remote),
      event: (event, cause) => send(ws, frameOf(event, cause), remote),
      failed: (error) => {
        log.error({ err: error, remote }, 'reading an inbox for its event socket failed');
        ws.close(1011, 'The inbox could not be read; reconnect to try again.');
      },
    });
    ws.on('close', () => {
      stopFeed();
      clients.delete(client);
      if (clients.size === 0) stopHeartbeat();
    });
  }

  // Built once per hub event for all the sockets of its inbox.
  function frameOf(event: FeedEvent, cause: StoreEvent): string {
    let frame = frames.get(cause);
    if (frame === undefined) {
      frame = eventFrame(event);
      frames.set(cause, frame);
    }
    return frame;
  }

  function send(ws: WebSocket, frame: string, remote: string | undefined): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(frame);
    // A reader that cannot keep up would otherwise make the server hold every event for it.
    if (ws.bufferedAmount > maxBufferedBytes) {
      log.info({ remote, bufferedBytes: ws.bufferedAmount }, 'dropped an event socket that reads too slowly');
      ws.terminate();
    }
  }

  function scheduleHeartbeat(): void {
    cancelHeartbeat = clock.schedule(PING_INTERVAL_MS, heartbeat);
  }

  function stopHeartbeat(): void {
    cancelHeartbeat?.();
    cancelHeartbeat = null;
  }

  // One timer for all sockets rather than one each: a client is dropped between one and two intervals after it goes silent.
  function heartbeat(): void {
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
    scheduleHeartbeat();
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(request, socket, head));

  return {
    openSockets: () => clients.size,

    async close() {
      closing = true;
      stopHeartbeat();
      const open = [...clients];
      if (open.length === 0) return;
      await new Promise<void>((resolve) => {
        let remaining = open.length;
        const cancelGrace = clock.schedule(CLOSE_GRACE_MS, () => {
          for (const { ws } of open) ws.terminate();
        });
        for (const { ws } of open) {
          ws.once('close', () => {
            if (--remaining > 0) return;
            cancelGrace();
            resolve();
          });
          ws.close(1001, 'The server is shutting down.');
        }
      });
    },
  };
}

/**
 * Answers a refused handshake in plain HTTP: browsers only report that the
 * socket failed, but curl and other clients show the status and the reason.
 */
function refuse(socket: Duplex, status: number, reason: string, headers: Readonly<Record<string, string>> = {}): void {
  answerAndClose(socket, status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, `${reason.replace(/\s+/g, ' ')}\n`);
}
