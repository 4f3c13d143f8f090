import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { canonicalDomain, type DomainPolicy } from '../mail/address/address.js';
import type { DnsSettings } from '../report/dns-resolver.js';
import { InvalidValue, readCount, readDuration, readPercent, readPort, readSize, readSwitch } from './values.js';

/**
 * The table of every option: flag, environment variable, default, meaning
 * and reader. config.ts parses argv and the environment with it and
 * assembles each part's slice; `--help` and README.md print it.
 */

/** One option of the table. */
export interface OptionSpec<T> {
  flag: `--${string}`;
  env: `EPHEMAIL_${string}`;
  /** Written as a user would type it; parsed by `read` like any other value. */
  defaultValue: string;
  meaning: string;
  read: (text: string) => T;
}

/** Keeps each entry's value type while the table is a plain object. */
function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every option, in the order --help and README.md show them. */
export const OPTIONS = {
  host: option({ flag: '--host', env: 'EPHEMAIL_HOST', defaultValue: '127.0.0.1', meaning: 'bind address for SMTP and HTTP', read: readHost }),
  smtpPort: option({ flag: '--smtp-port', env: 'EPHEMAIL_SMTP_PORT', defaultValue: '2525', meaning: 'SMTP port; 0 picks a free port', read: readPort }),
  httpPort: option({ flag: '--http-port', env: 'EPHEMAIL_HTTP_PORT', defaultValue: '8080', meaning: 'HTTP port (API, web inbox, WebSocket); 0 picks a free port', read: readPort }),
  domains: option({ flag: '--domains', env: 'EPHEMAIL_DOMAINS', defaultValue: 'ephemail.test,*', meaning: 'accepted domains, comma-separated; the first plain domain is where generated addresses live; `*` accepts any other domain too (catch-all for QA)', read: readDomains }),
  ttl: option({ flag: '--ttl', env: 'EPHEMAIL_TTL', defaultValue: '1h', meaning: 'message lifetime (90s, 10m, 1h, 2d)', read: readDuration }),
  maxMessageSize: option({ flag: '--max-message-size', env: 'EPHEMAIL_MAX_MESSAGE_SIZE', defaultValue: '10MB', meaning: 'largest message accepted, in bytes (512KB, 10MB)', read: readSize }),
  memoryLimit: option({ flag: '--memory-limit', env: 'EPHEMAIL_MEMORY_LIMIT', defaultValue: '256MB', meaning: 'total bytes of stored mail; past it, the oldest mail of the client holding the most is evicted first', read: readSize }),
  memoryShare: option({ flag: '--memory-share', env: 'EPHEMAIL_MEMORY_SHARE', defaultValue: '50%', meaning: 'most of --memory-limit that mail from one client (IPv4 address or IPv6 /64) may take, more is refused with 452; also what one inbox may take, its oldest evicted first; 100% turns both off (one app sending all test mail from one address)', read: readPercent }),
  inboxLimit: option({ flag: '--inbox-limit', env: 'EPHEMAIL_INBOX_LIMIT', defaultValue: '200', meaning: 'messages per inbox; oldest evicted first', read: (text: string) => readCount(text) }),
  store: option({ flag: '--store', env: 'EPHEMAIL_STORE', defaultValue: 'memory', meaning: 'where mail is kept: `memory` (this process only) or `redis://host:port/db`, shared by every instance pointed at it (docs/deployment.md)', read: readStore }),
  dataDir: option({ flag: '--data-dir', env: 'EPHEMAIL_DATA_DIR', defaultValue: '', meaning: 'directory where the memory store also writes its mail, so a restart keeps it: a graceful stop loses nothing, a crash about the last second, and expired mail never comes back; made (mode 0700) if missing; one process per directory; empty keeps mail in this process only (docs/deployment.md)', read: readDataDir }),
  dataDirReset: option({ flag: '--data-dir-reset', env: 'EPHEMAIL_DATA_DIR_RESET', defaultValue: 'false', meaning: 'true: a --data-dir that cannot be used (damaged, or from a newer version; never a directory of other files) is renamed to <dir>.unusable-<time>, never deleted, and start-up goes on with an empty one; false stops start-up with a sentence saying what is wrong', read: readSwitch }),
  maxRecipients: option({ flag: '--max-recipients', env: 'EPHEMAIL_MAX_RECIPIENTS', defaultValue: '100', meaning: 'envelope recipients per message', read: (text: string) => readCount(text) }),
  simulator: option({ flag: '--simulator', env: 'EPHEMAIL_SIMULATOR', defaultValue: 'true', meaning: 'the SMTP failure simulator: bounce@, mailbox-full@, tempfail@, greylist@, slow@ and reject-data@ at `simulator.` + the default domain answer with those failures, to test how an app handles them; false makes them ordinary addresses (public deployments)', read: readSwitch }),
  smtpMaxConnections: option({ flag: '--smtp-max-connections', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS', defaultValue: '2500', meaning: 'SMTP connections open at once; more are refused with 421 (each costs a file descriptor and some memory)', read: (text: string) => readCount(text) }),
  smtpMaxConnectionsPerIp: option({ flag: '--smtp-max-connections-per-ip', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS_PER_IP', defaultValue: '20', meaning: 'SMTP connections open at once from one IPv4 address or IPv6 /64; more are refused with 421', read: (text: string) => readCount(text) }),
  smtpIdleTimeout: option({ flag: '--smtp-idle-timeout', env: 'EPHEMAIL_SMTP_IDLE_TIMEOUT', defaultValue: '60s', meaning: 'how long an SMTP client may send nothing before 421 and hang-up', read: readDuration }),
  smtpSessionTimeout: option({ flag: '--smtp-session-timeout', env: 'EPHEMAIL_SMTP_SESSION_TIMEOUT', defaultValue: '10m', meaning: 'longest an SMTP connection may last, however busy; then 421 and hang-up', read: readDuration }),
  smtpDataTimeout: option({ flag: '--smtp-data-timeout', env: 'EPHEMAIL_SMTP_DATA_TIMEOUT', defaultValue: '5m', meaning: 'longest one message may take to arrive after DATA; then 421 and hang-up', read: readDuration }),
  smtpMaxCommandLength: option({ flag: '--smtp-max-command-length', env: 'EPHEMAIL_SMTP_MAX_COMMAND_LENGTH', defaultValue: '12KB', meaning: 'longest SMTP command line (RFC 4954 allows 12288 bytes for AUTH); longer gets 421 and hang-up', read: (text: string) => readLineLimit(text, 512, 'RFC 5321 guarantees 512-byte command lines') }),
  smtpMaxLineLength: option({ flag: '--smtp-max-line-length', env: 'EPHEMAIL_SMTP_MAX_LINE_LENGTH', defaultValue: '64KB', meaning: 'longest line inside a message (RFC 5321 says 1000 bytes, real mail goes over); a longer one refuses the message with 500', read: (text: string) => readLineLimit(text, 1000, 'RFC 5321 guarantees 1000-byte text lines') }),
  smtpMaxBadCommands: option({ flag: '--smtp-max-bad-commands', env: 'EPHEMAIL_SMTP_MAX_BAD_COMMANDS', defaultValue: '20', meaning: 'refused (5xx) commands in one SMTP session before 421 and hang-up; each delivered message starts the count again', read: (text: string) => readCount(text) }),
  tlsCert: option({ flag: '--tls-cert', env: 'EPHEMAIL_TLS_CERT', defaultValue: '', meaning: 'PEM certificate file for STARTTLS; empty makes a self-signed one at start-up', read: readOptionalFile }),
  tlsKey: option({ flag: '--tls-key', env: 'EPHEMAIL_TLS_KEY', defaultValue: '', meaning: 'PEM private key file for --tls-cert', read: readOptionalFile }),
  waitMax: option({ flag: '--wait-max', env: 'EPHEMAIL_WAIT_MAX', defaultValue: '120s', meaning: 'longest a wait-for-mail request may block', read: readDuration }),
  rateLimit: option({ flag: '--rate-limit', env: 'EPHEMAIL_RATE_LIMIT', defaultValue: '600', meaning: 'API requests and WebSocket connects per minute per client address (an IPv6 /64 counts as one); more get 429 with Retry-After; the page, its files, /healthz and /metrics have a separate budget 4 times as large', read: (text: string) => readCount(text) }),
  rateBurst: option({ flag: '--rate-burst', env: 'EPHEMAIL_RATE_BURST', defaultValue: '120', meaning: 'API requests a client may make at once before --rate-limit paces it', read: (text: string) => readCount(text) }),
  maxWaitersPerClient: option({ flag: '--max-waiters-per-client', env: 'EPHEMAIL_MAX_WAITERS_PER_CLIENT', defaultValue: '20', meaning: 'wait-for-mail requests one client address may hold open at once; more get 429', read: (text: string) => readCount(text) }),
  maxWaiters: option({ flag: '--max-waiters', env: 'EPHEMAIL_MAX_WAITERS', defaultValue: '10000', meaning: 'wait-for-mail requests the server holds open at once; more get 503', read: (text: string) => readCount(text) }),
  httpMaxConnections: option({ flag: '--http-max-connections', env: 'EPHEMAIL_HTTP_MAX_CONNECTIONS', defaultValue: '5000', meaning: 'HTTP connections open at once, WebSockets included; past it 10 more may ask only /healthz, and the rest get 503 and are closed (each costs a file descriptor and some memory)', read: (text: string) => readCount(text) }),
  httpMaxConnectionsPerClient: option({ flag: '--http-max-connections-per-client', env: 'EPHEMAIL_HTTP_MAX_CONNECTIONS_PER_CLIENT', defaultValue: '64', meaning: 'HTTP connections open at once from one IPv4 address or IPv6 /64, WebSockets and silent sockets included; more get 429 and are closed. Not applied with --trust-proxy, where every connection is the proxy\'s', read: (text: string) => readCount(text) }),
  wsMaxPerClient: option({ flag: '--ws-max-per-client', env: 'EPHEMAIL_WS_MAX_PER_CLIENT', defaultValue: '32', meaning: 'live event sockets (WebSockets) one client address may hold open, the client counted as --rate-limit counts it (so behind --trust-proxy too); more get 429 at the handshake', read: (text: string) => readCount(text) }),
  httpWriteTimeout: option({ flag: '--http-write-timeout', env: 'EPHEMAIL_HTTP_WRITE_TIMEOUT', defaultValue: '30s', meaning: 'how long a response may have bytes waiting that the client does not take before its connection is cut; a long poll still waiting for mail has none and is not cut', read: readDuration }),
  trustProxy: option({ flag: '--trust-proxy', env: 'EPHEMAIL_TRUST_PROXY', defaultValue: 'false', meaning: 'reverse proxies in front that append the client to X-Forwarded-For: false (clients connect directly; the header is ignored), true (one) or their number; limits then count the client the outermost one saw. Turn on only when the HTTP port is reachable through them alone', read: readTrustProxy }),
  smtpProxyProtocol: option({ flag: '--smtp-proxy-protocol', env: 'EPHEMAIL_SMTP_PROXY_PROTOCOL', defaultValue: 'false', meaning: 'SMTP connections that start with a PROXY protocol v1 header (HAProxy\'s send-proxy) naming the client, which the per-address cap, --memory-share, the logs and each message\'s session and report then use instead of the proxy\'s address. false: none (a PROXY line is an unknown command); the proxies\' IP addresses, comma-separated: connections from them must send one, and every other peer is a direct client that keeps its own address; true: every connection must send one, so turn it on only when the SMTP port is reachable through the proxy alone (docs/deployment.md). A proxied connection without a header is closed, answered `* BAD Invalid PROXY header` if it speaks first, else after --smtp-idle-timeout', read: readProxyPeers }),
  publicUrl: option({ flag: '--public-url', env: 'EPHEMAIL_PUBLIC_URL', defaultValue: '', meaning: 'public origins of the web inbox, comma-separated (https://mail.example.com); pages of other origins cannot open the live socket, while a page this server served always can, however it was opened; empty means the listening address, plus localhost and 127.0.0.1 on a loopback or 0.0.0.0 bind', read: readPublicUrls }),
  webhookUrl: option({ flag: '--webhook-url', env: 'EPHEMAIL_WEBHOOK_URL', defaultValue: '', meaning: 'http or https URL the server POSTs a signed JSON summary of every stored message to (inbox, id, sender, subject, codes, API links: absolute under the first --public-url, else paths); for operators, there are no per-inbox URLs; empty sends none. Several instances on one Redis each see every message: set it on one', read: readWebhookUrl }),
  webhookSecret: option({ flag: '--webhook-secret', env: 'EPHEMAIL_WEBHOOK_SECRET', defaultValue: '', meaning: 'key of the HMAC-SHA256 of the body in the X-Ephemail-Signature header; required with --webhook-url, at least 16 characters (openssl rand -hex 32); prefer the variable, flags show in ps', read: (text: string) => text }),
  dnsServers: option({ flag: '--dns-servers', env: 'EPHEMAIL_DNS_SERVERS', defaultValue: 'system', meaning: 'DNS servers the deliverability report asks for SPF, DKIM and DMARC records: `system` (this machine\'s resolvers), IP addresses with optional ports, comma-separated (10.0.0.2, 127.0.0.1:5353, [::1]:53), or `off` (no lookups: those results say none, the other checks still run)', read: readDnsServers }),
  parseWorkers: option({ flag: '--parse-workers', env: 'EPHEMAIL_PARSE_WORKERS', defaultValue: '2', meaning: 'threads that parse mail off the main thread', read: (text: string) => readCount(text) }),
  logLevel: option({ flag: '--log-level', env: 'EPHEMAIL_LOG_LEVEL', defaultValue: 'info', meaning: `log detail: ${LOG_LEVELS.join(', ')}`, read: readLogLevel }),
};

export type OptionName = keyof typeof OPTIONS;
/** Each option's parsed value. */
export type Settings = { [K in OptionName]: ReturnType<(typeof OPTIONS)[K]['read']> };

/** Where mail is kept: in this process, or in a Redis that several instances share. */
export type StoreBackend = { kind: 'memory' } | { kind: 'redis'; url: string };

function readDnsServers(text: string): DnsSettings {
  const value = text.trim();
  if (value === 'system') return { kind: 'system' };
  if (value === 'off') return { kind: 'off' };
  const servers = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const server of servers) {
    if (dnsServerAddress(server) === null) {
      throw new InvalidValue(`has "${server}", which is not an IP address with an optional port; use e.g. 127.0.0.1:5353 or [::1]:53, or system, or off`);
    }
  }
  if (servers.length === 0) throw new InvalidValue('names no server; use system, off, or addresses such as 127.0.0.1:5353');
  return { kind: 'servers', servers };
}

/** The IP of `1.2.3.4`, `1.2.3.4:53`, `::1` or `[::1]:53`, as Node's resolver takes them; null for anything else. */
function dnsServerAddress(server: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server);
  const [ip, port] = bracketed !== null ? [bracketed[1] ?? '', bracketed[2]]
    : isIP(server) === 6 ? [server, undefined]
      : server.split(/:(?=\d+$)/) as [string, string?];
  if (isIP(ip) === 0) return null;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return null;
  return ip;
}

function readHost(text: string): string {
  const host = text.trim();
  if (!/^[\w.:-]+$/.test(host)) throw new InvalidValue('is not a host; use an IP address such as 127.0.0.1 or 0.0.0.0, or a host name');
  return host;
}

function readDomains(text: string): Omit<DomainPolicy, 'simulatorDomain'> {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const domains: string[] = [];
  for (const entry of entries.filter((entry) => entry !== '*')) {
    const domain = canonicalDomain(entry);
    if (domain === null) throw new InvalidValue(`has "${entry}", which is not a domain name; use e.g. ephemail.test,*`);
    if (!domains.includes(domain)) domains.push(domain);
  }
  const [defaultDomain] = domains;
  if (defaultDomain === undefined) {
    throw new InvalidValue('names no plain domain; generated addresses need one, e.g. ephemail.test,*');
  }
  return { domains, defaultDomain, catchAll: entries.includes('*') };
}

function readOptionalFile(text: string): string | null {
  if (text.trim() === '') return null;
  try {
    return readFileSync(text, 'utf8');
  } catch (error) {
    throw new InvalidValue(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give the path of a PEM file`);
  }
}

function readPublicUrls(text: string): string[] {
  const origins: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidValue(`has "${entry}", which is not an http or https URL; use e.g. https://mail.example.com`);
    }
    // An Origin header carries only scheme, host and port; a path here would look like a restriction that cannot be enforced.
    if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw new InvalidValue(`has "${entry}", which is more than an origin; give only scheme, host and optional port, e.g. https://mail.example.com`);
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}

function readWebhookUrl(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidValue('is not an http or https URL; use e.g. https://hooks.example.com/ephemail');
  }
  // fetch refuses a URL with credentials; the signature is how a receiver knows the sender.
  if (url.username !== '' || url.password !== '') {
    throw new InvalidValue('has a user name or password, which is never sent; leave them out and check X-Ephemail-Signature at the receiver');
  }
  return url.href;
}

// Absolute, because a supervisor's working directory is rarely what the person who wrote the path had in mind.
function readDataDir(text: string): string | null {
  const path = text.trim();
  if (path === '') return null;
  if (!isAbsolute(path)) throw new InvalidValue('is not an absolute path; give the whole path of the directory, e.g. /var/lib/ephemail');
  return resolve(path);
}

function readStore(text: string): StoreBackend {
  const value = text.trim();
  if (value.toLowerCase() === 'memory') return { kind: 'memory' };
  const expected = 'use memory or redis://host:port/db (rediss:// for TLS, redis://:password@host:port/db with a password)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidValue(`is not a store; ${expected}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InvalidValue(`is not a store; ${expected}`);
  if (url.hostname === '') throw new InvalidValue(`names no Redis host; ${expected}`);
  if (!/^\/?(\d+)?$/.test(url.pathname)) throw new InvalidValue(`has "${url.pathname}" where a database number belongs; ${expected}`);
  if (url.search !== '' || url.hash !== '') throw new InvalidValue(`has extra parts after the database number; ${expected}`);
  return { kind: 'redis', url: value };
}

/** A line length in bytes, at least what `standard` guarantees every client (a lower limit would refuse correct mail). */
function readLineLimit(text: string, min: number, standard: string): number {
  const bytes = readSize(text);
  if (bytes < min) throw new InvalidValue(`is less than ${min} bytes; ${standard}, so use at least ${min}`);
  return bytes;
}

// More proxies than this in front of one server is a mistake, not a deployment.
const MAX_TRUSTED_PROXIES = 10;

function readTrustProxy(text: string): number {
  const value = text.trim().toLowerCase();
  if (['false', 'no', 'off', '0'].includes(value)) return 0;
  if (['true', 'yes', 'on'].includes(value)) return 1;
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(count) || count > MAX_TRUSTED_PROXIES) {
    throw new InvalidValue(`is not a proxy setting; use false (clients connect directly), true (one reverse proxy) or how many proxies are in front, up to ${MAX_TRUSTED_PROXIES}`);
  }
  return count;
}

/** --smtp-proxy-protocol: false, true (every peer is a proxy) or the proxies' addresses. */
function readProxyPeers(text: string): boolean | string[] {
  const value = text.trim().toLowerCase();
  if (['false', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return true;
  const peers = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const notAnAddress = peers.find((peer) => isIP(peer) === 0);
  if (peers.length === 0 || notAnAddress !== undefined) {
    throw new InvalidValue(`is not a proxy setting${notAnAddress === undefined ? '' : ` ("${notAnAddress}" is not an IP address)`}; use false (clients connect directly), the proxies' IP addresses, comma-separated (10.0.0.5,10.0.0.6), or true (every connection comes through a proxy)`);
  }
  return peers;
}

function readLogLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === text.trim().toLowerCase());
  if (level === undefined) throw new InvalidValue(`is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  return level;
}
