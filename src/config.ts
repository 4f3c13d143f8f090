import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { canonicalDomain, type DomainPolicy } from './mail/address.js';
import {
  formatSize, InvalidValue, readCount, readDuration, readPort, readSize,
} from './config-values.js';

/**
 * Every option of the server, parsed and validated in one place. Each option
 * is a flag and an environment variable; flags win over the environment,
 * the environment over defaults. The same table prints as `--help` and
 * appears in README.md (a test keeps the two equal).
 */

interface OptionSpec<T> {
  flag: `--${string}`;
  env: `EPHEMAIL_${string}`;
  /** Written as a user would type it; parsed by `read` like any other value. */
  defaultValue: string;
  meaning: string;
  read: (text: string) => T;
}

function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const OPTIONS = {
  host: option({ flag: '--host', env: 'EPHEMAIL_HOST', defaultValue: '127.0.0.1', meaning: 'bind address for SMTP and HTTP', read: readHost }),
  smtpPort: option({ flag: '--smtp-port', env: 'EPHEMAIL_SMTP_PORT', defaultValue: '2525', meaning: 'SMTP port; 0 picks a free port', read: readPort }),
  httpPort: option({ flag: '--http-port', env: 'EPHEMAIL_HTTP_PORT', defaultValue: '8080', meaning: 'HTTP port (API, web inbox, WebSocket); 0 picks a free port', read: readPort }),
  domains: option({ flag: '--domains', env: 'EPHEMAIL_DOMAINS', defaultValue: 'ephemail.test,*', meaning: 'accepted domains, comma-separated; the first plain domain is where generated addresses live; `*` accepts any other domain too (catch-all for QA)', read: readDomains }),
  ttl: option({ flag: '--ttl', env: 'EPHEMAIL_TTL', defaultValue: '1h', meaning: 'message lifetime (90s, 10m, 1h, 2d)', read: readDuration }),
  maxMessageSize: option({ flag: '--max-message-size', env: 'EPHEMAIL_MAX_MESSAGE_SIZE', defaultValue: '10MB', meaning: 'largest message accepted, in bytes (512KB, 10MB)', read: readSize }),
  memoryLimit: option({ flag: '--memory-limit', env: 'EPHEMAIL_MEMORY_LIMIT', defaultValue: '256MB', meaning: 'total bytes of stored mail; oldest evicted first', read: readSize }),
  inboxLimit: option({ flag: '--inbox-limit', env: 'EPHEMAIL_INBOX_LIMIT', defaultValue: '200', meaning: 'messages per inbox; oldest evicted first', read: (text: string) => readCount(text) }),
  maxRecipients: option({ flag: '--max-recipients', env: 'EPHEMAIL_MAX_RECIPIENTS', defaultValue: '100', meaning: 'envelope recipients per message', read: (text: string) => readCount(text) }),
  tlsCert: option({ flag: '--tls-cert', env: 'EPHEMAIL_TLS_CERT', defaultValue: '', meaning: 'PEM certificate file for STARTTLS; empty makes a self-signed one at start-up', read: readOptionalFile }),
  tlsKey: option({ flag: '--tls-key', env: 'EPHEMAIL_TLS_KEY', defaultValue: '', meaning: 'PEM private key file for --tls-cert', read: readOptionalFile }),
  waitMax: option({ flag: '--wait-max', env: 'EPHEMAIL_WAIT_MAX', defaultValue: '120s', meaning: 'longest a wait-for-mail request may block', read: readDuration }),
  publicUrl: option({ flag: '--public-url', env: 'EPHEMAIL_PUBLIC_URL', defaultValue: '', meaning: 'public origins of the web inbox, comma-separated (https://mail.example.com); pages elsewhere cannot open the live socket; empty means the listening address, plus localhost and 127.0.0.1 on a loopback or 0.0.0.0 bind', read: readPublicUrls }),
  parseWorkers: option({ flag: '--parse-workers', env: 'EPHEMAIL_PARSE_WORKERS', defaultValue: '2', meaning: 'threads that parse mail off the main thread', read: (text: string) => readCount(text) }),
  logLevel: option({ flag: '--log-level', env: 'EPHEMAIL_LOG_LEVEL', defaultValue: 'info', meaning: `log detail: ${LOG_LEVELS.join(', ')}`, read: readLogLevel }),
};

type OptionName = keyof typeof OPTIONS;
type Settings = { [K in OptionName]: ReturnType<(typeof OPTIONS)[K]['read']> };

/** What the SMTP intake needs. */
export interface SmtpConfig {
  host: string;
  port: number;
  maxMessageSize: number;
  maxRecipients: number;
  /** PEM strings from --tls-cert/--tls-key, or null to make a self-signed certificate. */
  tls: { cert: string; key: string } | null;
}

/** What parsing needs. */
export interface ParseConfig {
  workers: number;
}

/** What the memory store needs. */
export interface StoreConfig {
  ttlMs: number;
  memoryLimit: number;
  inboxLimit: number;
}

/** What the HTTP side needs. */
export interface HttpConfig {
  host: string;
  port: number;
  waitMaxMs: number;
  /** Origins from --public-url (scheme://host[:port]); empty means derive them from the listening address. */
  publicOrigins: string[];
}

/** The whole validated configuration, in the slices each part receives. */
export interface Config {
  smtp: SmtpConfig;
  http: HttpConfig;
  store: StoreConfig;
  parse: ParseConfig;
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

/** The option table as Markdown, for --help and README.md. */
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
  return {
    smtp: {
      host: settings.host,
      port: settings.smtpPort,
      maxMessageSize: settings.maxMessageSize,
      maxRecipients: settings.maxRecipients,
      tls: tlsPair(settings.tlsCert, settings.tlsKey),
    },
    http: { host: settings.host, port: settings.httpPort, waitMaxMs: settings.waitMax, publicOrigins: settings.publicUrl },
    store: { ttlMs: settings.ttl, memoryLimit: settings.memoryLimit, inboxLimit: settings.inboxLimit },
    parse: { workers: settings.parseWorkers },
    domains: settings.domains,
    logLevel: settings.logLevel,
  };
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

function readHost(text: string): string {
  const host = text.trim();
  if (!/^[\w.:-]+$/.test(host)) throw new InvalidValue('is not a host; use an IP address such as 127.0.0.1 or 0.0.0.0, or a host name');
  return host;
}

function readDomains(text: string): DomainPolicy {
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

function readLogLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === text.trim().toLowerCase());
  if (level === undefined) throw new InvalidValue(`is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  return level;
}
