import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Context } from 'hono';

/** Stands in for a request whose socket has no address (gone already, or `app.request()` in tests): they share one budget. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The address a request comes from, as far as this server can tell.
 *
 * With `trustedProxies` 0 it is the socket's peer and X-Forwarded-For is
 * ignored: anyone can write that header. With N proxies in front, each of
 * which appends the address it received the request from, the N-th entry
 * from the right is the address the outermost proxy saw; entries further
 * left are whatever the client claimed, so they are never used. (For the
 * usual single proxy that is the last entry: the client as that proxy saw it.)
 * A header with fewer entries than proxies yields its first entry; a missing
 * or unreadable one falls back to the socket, so requests that bypass the
 * proxies share the proxy's address instead of choosing their own.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxies: number): string {
  const direct = socketAddress ?? UNKNOWN_CLIENT;
  if (trustedProxies === 0 || forwardedFor === undefined) return direct;
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter((hop) => hop !== '');
  const hop = hops[Math.max(0, hops.length - trustedProxies)];
  return (hop === undefined ? null : plainAddress(hop)) ?? direct;
}

/** The client address of a request to the hono app (the node adapter puts the socket in `c.env.incoming`). */
export function requestAddress(c: Context, trustedProxies: number): string {
  const env = c.env as { incoming?: Pick<IncomingMessage, 'socket'> } | undefined;
  return clientAddress(env?.incoming?.socket.remoteAddress, c.req.header('x-forwarded-for'), trustedProxies);
}

/** The client address of a WebSocket handshake, which never reaches the hono app. */
export function upgradeAddress(request: IncomingMessage, trustedProxies: number): string {
  // Node joins repeated X-Forwarded-For lines with ", ", as one list.
  const header = request.headers['x-forwarded-for'];
  return clientAddress(request.socket.remoteAddress, Array.isArray(header) ? header.join(', ') : header, trustedProxies);
}

/** An X-Forwarded-For entry as a bare IP: some proxies add a port (`1.2.3.4:5678`, `[2001:db8::1]:443`) or quotes. */
function plainAddress(hop: string): string | null {
  const unquoted = hop.replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(unquoted);
  const withoutPort = bracketed?.[1] ?? unquoted.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  // "unknown", obfuscated identifiers (RFC 7239) and garbage name no address a limit could count.
  return isIP(withoutPort) === 0 ? null : withoutPort;
}
