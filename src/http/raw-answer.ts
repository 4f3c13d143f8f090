import { Buffer } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { BASE_RESPONSE_HEADERS } from './security-headers.js';

// How long a refused connection may stay after its answer while the client reads it; then it is cut.
const LINGER_MS = 1_000;

/**
 * Answers on a bare socket, outside Node's HTTP parser (a connection
 * refused before its request is read, a refused WebSocket handshake), with
 * the headers every response carries, and closes it. Whatever the client
 * sends meanwhile is read and dropped until it closes or LINGER_MS pass:
 * closing with its bytes unread would reset the connection, and a reset can
 * discard the answer before the client reads it.
 */
export function answerAndClose(socket: Duplex, status: number, headers: Readonly<Record<string, string>>, body: string): void {
  // The client may already have gone; nothing else is listening for this socket's errors.
  socket.on('error', () => socket.destroy());
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
  socket.resume();
  socket.end([
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    ...Object.entries({ ...BASE_RESPONSE_HEADERS, ...headers }).filter(([name]) => name.toLowerCase() !== 'connection').map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n'));
}
