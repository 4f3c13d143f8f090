import { createSecureContext } from 'node:tls';
import type { DomainPolicy } from '../mail/address/address.js';
import type { DnsSettings } from '../report/dns-resolver.js';
import { formatSize, InvalidValue } from './values.js';
import {
  OPTIONS, type LogLevel, type OptionName, type OptionSpec, type Settings, type StoreBackend,
} from './options.js';

export type { LogLevel, StoreBackend } from './options.js';

/**
 * Every option of the server, parsed and validated in one place. Each option
 * is a flag and an environment variable; flags win over the environment,
 * the environment over defaults. The same table appears in README.md (a
 * test keeps the two equal) and, laid out for a terminal, in `--help`
 * (src/cli/help.ts). The table itself is in options.ts; this file turns it
 * into each part's slice.
 */

/** What the SMTP intake needs. */
export interface SmtpConfig {
  host: string;
  port: number;
  maxMessageSize: number;
  maxRecipients: number;
  /** PEM strings from --tls-cert/--tls-key, or null to make a self-signed certificate. */
  tls: { cert: string; key: string } | null;
  /**
   * --smtp-proxy-protocol: which peers start their connections with a PROXY
   * protocol header naming the client: none (false), every one (true), or
   * those at these addresses, the rest being clients that connect directly.
   */
  proxyProtocol: boolean | string[];
  limits: SmtpLimits;
}

/** What one SMTP client may hold; src/smtp/limits.ts says how each is enforced. Durations in ms, lengths in bytes. */
export interface SmtpLimits {
  maxConnections: number;
  maxConnectionsPerIp: number;
  idleTimeoutMs: number;
  sessionTimeoutMs: number;
  dataTimeoutMs: number;
  maxCommandLength: number;
  maxLineLength: number;
  maxBadCommands: number;
}

/** What parsing needs. */
export interface ParseConfig {
  workers: number;
}

/** What the deliverability report needs. */
export interface ReportConfig {
  dns: DnsSettings;
}


/** What the webhooks need (src/webhooks/). */
export interface WebhookConfig {
  url: string;
  /** The HMAC-SHA256 key of every signature. */
  secret: string;
  /** The first --public-url origin that API links in payloads start with; empty for links relative to the server. */
  linkBase: string;
}

/** What the store needs. */
export interface StoreConfig {
  ttlMs: number;
  memoryLimit: number;
  /** Bytes mail from one client, and one inbox, may hold; null when --memory-share is 100%. */
  memoryShare: number | null;
  inboxLimit: number;
  backend: StoreBackend;
  /** Where the memory store also keeps its mail (--data-dir); null keeps it in memory only. */
  dataDir: DataDirConfig | null;
}

/** The data directory of the memory store (src/store/disk/). */
export interface DataDirConfig {
  /** An absolute path. */
  path: string;
  /** --data-dir-reset: move a directory that cannot be used aside and start empty, instead of refusing to start. */
  resetIfUnusable: boolean;
}

/** What the HTTP side needs. */
export interface HttpConfig {
  host: string;
  port: number;
  waitMaxMs: number;
  /** Origins from --public-url (scheme://host[:port]); empty means derive them from the listening address. */
  publicOrigins: string[];
  /** API requests (and WebSocket handshakes) per minute per client: the refill rate of its token bucket. */
  rateLimitPerMinute: number;
  /** Tokens a client's bucket holds: requests it may make at once. */
  rateBurst: number;
  /** Long polls one client may hold open at once. */
  maxWaitersPerClient: number;
  /** Long polls the server holds open at once. */
  maxWaiters: number;
  /** Reverse proxies in front that append to X-Forwarded-For; 0 means use the socket's address. */
  trustedProxies: number;
  /** Connections open at once, upgraded WebSockets included (src/http/limits/connection-limits.ts). */
  maxConnections: number;
  /** Connections open at once from one socket address (IPv4, or IPv6 /64); not applied behind trusted proxies. */
  maxConnectionsPerClient: number;
  /** Live event sockets one client (as the rate limit counts it) may hold open. */
  maxEventSocketsPerClient: number;
  /** How long a response may have bytes waiting that the client does not take before its connection is cut. */
  writeTimeoutMs: number;
}

/** The whole validated configuration, in the slices each part receives. */
export interface Config {
  smtp: SmtpConfig;
  http: HttpConfig;
  store: StoreConfig;
  parse: ParseConfig;
  report: ReportConfig;
  /** Null when --webhook-url is not set. */
  webhook: WebhookConfig | null;
  domains: DomainPolicy;
  logLevel: LogLevel;
}

/** A bad option; its message is one line naming the option, the value and what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses command-line flags (without node and script) and environment variables. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const flags = readFlags(argv);
  const settings = {} as Record<OptionName, unknown>;
  for (const name of Object.keys(OPTIONS) as OptionName[]) {
    const spec: OptionSpec<unknown> = OPTIONS[name];
    const fromFlag = flags.get(spec.flag);
    const fromEnv = env[spec.env];
    const [source, text] = fromFlag !== undefined ? [spec.flag, fromFlag]
      : fromEnv !== undefined ? [spec.env, fromEnv]
        : [spec.flag, spec.defaultValue];
    settings[name] = readValue(spec, source, text);
  }
  return assemble(settings as Settings);
}

/** True when the arguments ask for help. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** The option table as Markdown, for README.md; `--help` lays the same out for a terminal (`optionsHelp` in src/cli/help.ts). */
export function optionsTable(): string {
  const rows = Object.values(OPTIONS).map((spec) => {
    const shown = spec.defaultValue === '' ? '(none)' : spec.defaultValue;
    return `| ${spec.flag} | ${spec.env} | ${shown} | ${spec.meaning} |`;
  });
  return ['| flag | env | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function readValue(spec: OptionSpec<unknown>, source: string, text: string): unknown {
  try {
    return spec.read(text);
  } catch (error) {
    if (error instanceof InvalidValue) throw new ConfigError(`${source}: "${text}" ${error.message}`);
    throw error;
  }
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set<string>(Object.values(OPTIONS).map((spec) => spec.flag));
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    if (!known.has(flag)) {
      throw new ConfigError(`${arg}: unknown option; run with --help to see every option`);
    }
    const value = inline ?? argv[++i];
    // "--tls-cert --tls-key k.pem" forgot a value; reading "--tls-key" as one would blame the wrong thing.
    if (value === undefined || (inline === undefined && known.has(value))) throw new ConfigError(`${flag}: needs a value; run with --help to see every option`);
    flags.set(flag, value);
  }
  return flags;
}

function assemble(settings: Settings): Config {
  if (settings.maxMessageSize > settings.memoryLimit) {
    throw new ConfigError(`--max-message-size: "${formatSize(settings.maxMessageSize)}" is larger than --memory-limit (${formatSize(settings.memoryLimit)}); such a message could never be kept`);
  }
  const memoryShare = settings.memoryShare === 100 ? null : Math.floor(settings.memoryLimit * settings.memoryShare / 100);
  if (memoryShare !== null && memoryShare < settings.maxMessageSize) {
    throw new ConfigError(`--memory-share: "${settings.memoryShare}%" of --memory-limit (${formatSize(settings.memoryLimit)}) is less than --max-message-size (${formatSize(settings.maxMessageSize)}); no client could send a message that large. Raise --memory-share or --memory-limit`);
  }
  return {
    smtp: {
      host: settings.host,
      port: settings.smtpPort,
      maxMessageSize: settings.maxMessageSize,
      maxRecipients: settings.maxRecipients,
      tls: tlsPair(settings.tlsCert, settings.tlsKey),
      proxyProtocol: settings.smtpProxyProtocol,
      limits: {
        maxConnections: settings.smtpMaxConnections,
        maxConnectionsPerIp: settings.smtpMaxConnectionsPerIp,
        idleTimeoutMs: settings.smtpIdleTimeout,
        sessionTimeoutMs: settings.smtpSessionTimeout,
        dataTimeoutMs: settings.smtpDataTimeout,
        maxCommandLength: settings.smtpMaxCommandLength,
        maxLineLength: settings.smtpMaxLineLength,
        maxBadCommands: settings.smtpMaxBadCommands,
      },
    },
    http: {
      host: settings.host, port: settings.httpPort, waitMaxMs: settings.waitMax, publicOrigins: settings.publicUrl,
      rateLimitPerMinute: settings.rateLimit, rateBurst: settings.rateBurst,
      maxWaitersPerClient: settings.maxWaitersPerClient, maxWaiters: settings.maxWaiters, trustedProxies: settings.trustProxy,
      maxConnections: settings.httpMaxConnections, maxConnectionsPerClient: settings.httpMaxConnectionsPerClient,
      maxEventSocketsPerClient: settings.wsMaxPerClient, writeTimeoutMs: settings.httpWriteTimeout,
    },
    store: {
      ttlMs: settings.ttl, memoryLimit: settings.memoryLimit, memoryShare, inboxLimit: settings.inboxLimit, backend: settings.store,
      dataDir: dataDirSlice(settings),
    },
    parse: { workers: settings.parseWorkers },
    report: { dns: settings.dnsServers },
    webhook: webhookSlice(settings),
    domains: { ...settings.domains, simulatorDomain: settings.simulator ? `simulator.${settings.domains.defaultDomain}` : null },
    logLevel: settings.logLevel,
  };
}

/** The data directory, for the memory store only: Redis keeps the mail of a shared store, and its own persistence keeps it across restarts. */
function dataDirSlice({ dataDir, dataDirReset, store }: Settings): DataDirConfig | null {
  if (dataDir === null) {
    if (dataDirReset) throw new ConfigError('--data-dir-reset: "true" needs --data-dir; without a data directory there is nothing to reset');
    return null;
  }
  if (store.kind === 'redis') {
    throw new ConfigError('--data-dir: applies to --store memory only; with --store redis://… the mail is in Redis, whose own persistence keeps it across restarts (docs/deployment.md), so leave --data-dir out');
  }
  return { path: dataDir, resetIfUnusable: dataDirReset };
}

// Shorter keys could be guessed, and a guessed key forges signatures.
const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The webhook slice; the secret is never echoed in an error, unlike other values. */
function webhookSlice({ webhookUrl, webhookSecret, publicUrl }: Settings): WebhookConfig | null {
  if (webhookUrl === null) return null;
  if (webhookSecret === '') {
    throw new ConfigError(`--webhook-secret: missing; --webhook-url posts signed messages, so give a secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (openssl rand -hex 32)`);
  }
  if (webhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new ConfigError(`--webhook-secret: has ${webhookSecret.length} characters; use at least ${MIN_WEBHOOK_SECRET_LENGTH} (openssl rand -hex 32), a short one could be guessed and signatures forged`);
  }
  return { url: webhookUrl, secret: webhookSecret, linkBase: publicUrl[0] ?? '' };
}

function tlsPair(cert: string | null, key: string | null): SmtpConfig['tls'] {
  if (cert === null && key === null) return null;
  if (cert === null || key === null) {
    throw new ConfigError(`${cert === null ? '--tls-cert' : '--tls-key'}: missing; --tls-cert and --tls-key go together`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`--tls-cert/--tls-key: the files are not a PEM certificate and its private key (${reason})`);
  }
  return { cert, key };
}
