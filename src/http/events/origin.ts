import type { HttpConfig } from '../../config/config.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * Origins whose pages may open the events socket: the --public-url origins
 * when given, otherwise the listening address. On a loopback or wildcard
 * bind the page is as likely opened as localhost or 127.0.0.1 (the start-up
 * banner names both for 0.0.0.0), so those count too. `port` is the
 * bound port, which differs from the configured one when that was 0.
 */
export function allowedOrigins(http: Pick<HttpConfig, 'host' | 'publicOrigins'>, port: number): string[] {
  if (http.publicOrigins.length > 0) return [...http.publicOrigins];
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  const hosts = [host];
  if (isLoopback(http.host) || WILDCARD_HOSTS.has(http.host)) hosts.push('localhost', '127.0.0.1');
  return [...new Set(hosts.map((name) => originOf(`http://${name}:${port}`)))];
}

/**
 * Whether a WebSocket handshake's Origin header is acceptable. Browsers always
 * send one, so this is what stops another site's page from following an
 * inbox with its visitor's network position; a missing header means a
 * non-browser client, which could claim any origin anyway, so it passes.
 * A page this server served is always its own origin: its Origin names the
 * host the request itself was sent to (the Host header), however the page
 * was opened (the machine's IP on a wildcard bind, a name in /etc/hosts).
 */
export function isAllowedOrigin(header: string | undefined, allowed: ReadonlySet<string>, requestHost: string | undefined): boolean {
  if (header === undefined) return true;
  try {
    const origin = new URL(header);
    if (allowed.has(origin.origin)) return true;
    return requestHost !== undefined && /^https?:$/.test(origin.protocol) && origin.host === hostOf(requestHost);
  } catch {
    // "null" (sandboxed frames, file: pages) and garbage are not any allowed origin.
    return false;
  }
}

// The Host header as URL.host spells it (lower case, default port dropped); '' when it is no host.
function hostOf(header: string): string {
  try {
    return new URL(`http://${header}`).host;
  } catch {
    return '';
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// Spelled the way browsers send it: lower case, default port dropped.
function originOf(url: string): string {
  return new URL(url).origin;
}
