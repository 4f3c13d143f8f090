import { WebSocket, type ClientOptions } from 'ws';
import type { ApiEventFrame } from '../../src/http/api/types.js';

/** A connected events socket that hands frames back in order. */
export interface EventClient {
  ws: WebSocket;
  /** The next frame not yet taken. */
  next(): Promise<ApiEventFrame>;
  /** Frames received and not yet taken. */
  unread(): number;
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<number>;
}

/** Opens `url` and resolves once the handshake succeeded. */
export async function openEvents(url: string, options: ClientOptions = {}): Promise<EventClient> {
  const ws = new WebSocket(url, options);
  const frames: ApiEventFrame[] = [];
  const waiters: Array<(frame: ApiEventFrame) => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ApiEventFrame;
    const waiter = waiters.shift();
    if (waiter === undefined) frames.push(frame);
    else waiter(frame);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // A connection the server cuts may report ECONNRESET; the close code is what tests look at.
  ws.on('error', () => {});
  return {
    ws,
    closed,
    unread: () => frames.length,
    next() {
      const frame = frames.shift();
      return frame === undefined ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(frame);
    },
  };
}

/** What the server answered to a handshake it refused. */
export interface Refusal {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Attempts a handshake that the server should refuse; rejects if it is accepted. */
export function refusal(url: string, options: ClientOptions = {}): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body });
        request.destroy();
      });
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error(`the server accepted ${url}`));
    });
    ws.on('error', reject);
  });
}

/**
 * Resolves once the server has seen every pong this client sent so far: the
 * server answers the client's own ping only after reading what came before it.
 */
export function roundTrip(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping();
  });
}

/** The events URL of an address on a server. */
export function eventsUrl(httpPort: number, address: string): string {
  return `ws://127.0.0.1:${httpPort}/api/inboxes/${encodeURIComponent(address)}/events`;
}
