import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsTable, parseConfig, wantsHelp, type Config } from '../../src/config/config.js';
import { selfSignedCertificate, type TlsPair } from '../../src/smtp/tls.js';
import { configErrorOf } from '../support/config-error.js';

let dir = '';
let pair: TlsPair;
let other: TlsPair;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ephemail-config-'));
  [pair, other] = await Promise.all([selfSignedCertificate('one.test'), selfSignedCertificate('two.test')]);
  writeFileSync(file('cert.pem'), pair.cert);
  writeFileSync(file('key.pem'), pair.key);
  writeFileSync(file('other-key.pem'), other.key);
  writeFileSync(file('not-pem.txt'), 'hello\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One option: how to set it, a value other than the default, and where it shows in Config. */
interface Case {
  flag: string;
  env: string;
  value: () => string;
  other: () => string;
  read: (config: Config) => unknown;
  expected: () => unknown;
  expectedOther: () => unknown;
}

const CASES: Case[] = [
  { flag: '--host', env: 'EPHEMAIL_HOST', value: () => '0.0.0.0', other: () => '::1', read: (c) => [c.smtp.host, c.http.host], expected: () => ['0.0.0.0', '0.0.0.0'], expectedOther: () => ['::1', '::1'] },
  { flag: '--smtp-port', env: 'EPHEMAIL_SMTP_PORT', value: () => '2626', other: () => '0', read: (c) => c.smtp.port, expected: () => 2626, expectedOther: () => 0 },
  { flag: '--http-port', env: 'EPHEMAIL_HTTP_PORT', value: () => '9090', other: () => '65535', read: (c) => c.http.port, expected: () => 9090, expectedOther: () => 65535 },
  {
    flag: '--domains', env: 'EPHEMAIL_DOMAINS', value: () => 'Mail.Example, MÜNCHEN.test, xn--mnchen-3ya.test', other: () => '*,b.test',
    read: (c) => c.domains,
    expected: () => ({ domains: ['mail.example', 'münchen.test'], defaultDomain: 'mail.example', catchAll: false, simulatorDomain: 'simulator.mail.example' }),
    expectedOther: () => ({ domains: ['b.test'], defaultDomain: 'b.test', catchAll: true, simulatorDomain: 'simulator.b.test' }),
  },
  { flag: '--ttl', env: 'EPHEMAIL_TTL', value: () => '90s', other: () => '2d', read: (c) => c.store.ttlMs, expected: () => 90_000, expectedOther: () => 172_800_000 },
  { flag: '--max-message-size', env: 'EPHEMAIL_MAX_MESSAGE_SIZE', value: () => '512KB', other: () => '1000', read: (c) => c.smtp.maxMessageSize, expected: () => 524_288, expectedOther: () => 1000 },
  { flag: '--memory-limit', env: 'EPHEMAIL_MEMORY_LIMIT', value: () => '1GB', other: () => '20.5mb', read: (c) => c.store.memoryLimit, expected: () => 1024 ** 3, expectedOther: () => 21_495_808 },
  { flag: '--memory-share', env: 'EPHEMAIL_MEMORY_SHARE', value: () => '25%', other: () => '100', read: (c) => c.store.memoryShare, expected: () => 64 * 1024 ** 2, expectedOther: () => null },
  { flag: '--inbox-limit', env: 'EPHEMAIL_INBOX_LIMIT', value: () => '5', other: () => '1', read: (c) => c.store.inboxLimit, expected: () => 5, expectedOther: () => 1 },
  {
    flag: '--store', env: 'EPHEMAIL_STORE', value: () => 'redis://cache.internal:6380/2', other: () => 'MEMORY',
    read: (c) => c.store.backend, expected: () => ({ kind: 'redis', url: 'redis://cache.internal:6380/2' }), expectedOther: () => ({ kind: 'memory' }),
  },
  {
    flag: '--data-dir', env: 'EPHEMAIL_DATA_DIR', value: () => '/var/lib/ephemail', other: () => ' /srv/mail/../ephemail/ ',
    read: (c) => c.store.dataDir, expected: () => ({ path: '/var/lib/ephemail', resetIfUnusable: false }), expectedOther: () => ({ path: '/srv/ephemail', resetIfUnusable: false }),
  },
  { flag: '--smtp-max-connections', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS', value: () => '10', other: () => '1', read: (c) => c.smtp.limits.maxConnections, expected: () => 10, expectedOther: () => 1 },
  { flag: '--smtp-max-connections-per-ip', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS_PER_IP', value: () => '3', other: () => '100', read: (c) => c.smtp.limits.maxConnectionsPerIp, expected: () => 3, expectedOther: () => 100 },
  { flag: '--smtp-idle-timeout', env: 'EPHEMAIL_SMTP_IDLE_TIMEOUT', value: () => '30s', other: () => '2m', read: (c) => c.smtp.limits.idleTimeoutMs, expected: () => 30_000, expectedOther: () => 120_000 },
  { flag: '--smtp-session-timeout', env: 'EPHEMAIL_SMTP_SESSION_TIMEOUT', value: () => '1h', other: () => '90s', read: (c) => c.smtp.limits.sessionTimeoutMs, expected: () => 3_600_000, expectedOther: () => 90_000 },
  { flag: '--smtp-data-timeout', env: 'EPHEMAIL_SMTP_DATA_TIMEOUT', value: () => '1m', other: () => '10s', read: (c) => c.smtp.limits.dataTimeoutMs, expected: () => 60_000, expectedOther: () => 10_000 },
  { flag: '--smtp-max-command-length', env: 'EPHEMAIL_SMTP_MAX_COMMAND_LENGTH', value: () => '512', other: () => '1KB', read: (c) => c.smtp.limits.maxCommandLength, expected: () => 512, expectedOther: () => 1024 },
  { flag: '--smtp-max-line-length', env: 'EPHEMAIL_SMTP_MAX_LINE_LENGTH', value: () => '1000', other: () => '1MB', read: (c) => c.smtp.limits.maxLineLength, expected: () => 1000, expectedOther: () => 1024 ** 2 },
  { flag: '--smtp-max-bad-commands', env: 'EPHEMAIL_SMTP_MAX_BAD_COMMANDS', value: () => '5', other: () => '1', read: (c) => c.smtp.limits.maxBadCommands, expected: () => 5, expectedOther: () => 1 },
  { flag: '--max-recipients', env: 'EPHEMAIL_MAX_RECIPIENTS', value: () => '3', other: () => '1000', read: (c) => c.smtp.maxRecipients, expected: () => 3, expectedOther: () => 1000 },
  {
    flag: '--simulator', env: 'EPHEMAIL_SIMULATOR', value: () => 'false', other: () => ' Yes ',
    read: (c) => c.domains.simulatorDomain, expected: () => null, expectedOther: () => 'simulator.ephemail.test',
  },
  { flag: '--wait-max', env: 'EPHEMAIL_WAIT_MAX', value: () => '10m', other: () => '500ms', read: (c) => c.http.waitMaxMs, expected: () => 600_000, expectedOther: () => 500 },
  {
    flag: '--public-url', env: 'EPHEMAIL_PUBLIC_URL', value: () => 'https://Mail.Example.com, http://localhost:8080,https://mail.example.com/', other: () => 'http://127.0.0.1:80',
    read: (c) => c.http.publicOrigins, expected: () => ['https://mail.example.com', 'http://localhost:8080'], expectedOther: () => ['http://127.0.0.1'],
  },
  { flag: '--parse-workers', env: 'EPHEMAIL_PARSE_WORKERS', value: () => '4', other: () => '1', read: (c) => c.parse.workers, expected: () => 4, expectedOther: () => 1 },
  { flag: '--log-level', env: 'EPHEMAIL_LOG_LEVEL', value: () => 'debug', other: () => 'SILENT', read: (c) => c.logLevel, expected: () => 'debug', expectedOther: () => 'silent' },
];

// The certificate and key only make sense together, so each case sets its partner too.
const TLS_CASES: Case[] = [
  { flag: '--tls-cert', env: 'EPHEMAIL_TLS_CERT', value: () => file('cert.pem'), other: () => file('cert.pem'), read: (c) => c.smtp.tls?.cert, expected: () => pair.cert, expectedOther: () => pair.cert },
  { flag: '--tls-key', env: 'EPHEMAIL_TLS_KEY', value: () => file('key.pem'), other: () => file('key.pem'), read: (c) => c.smtp.tls?.key, expected: () => pair.key, expectedOther: () => pair.key },
];

function partner(flag: string): string[] {
  if (flag === '--tls-cert') return ['--tls-key', file('key.pem')];
  if (flag === '--tls-key') return ['--tls-cert', file('cert.pem')];
  return [];
}

/** Flag, variable and shown default of every row of the option table. */
function tableRows(): Array<{ flag: string; env: string; shown: string }> {
  return [...optionsTable().matchAll(/^\| (--[a-z-]+) \| (EPHEMAIL_[A-Z_]+) \| ([^|]*) \|/gm)]
    .map(([, flag = '', env = '', shown = '']) => ({ flag, env, shown: shown.trim() }));
}


// Never echoed in an error, so the generic check of the echo does not apply; test/config/webhook-option.test.ts reads it from the environment.
const SECRETS = ['--webhook-secret'];

describe('parseConfig', () => {
  // Driven by the table itself, so an option added later is covered without touching this file.
  describe.each(tableRows())('$flag and $env (generic)', ({ flag, env, shown }) => {
    const documented = shown === '(none)' ? '' : shown;
    it('takes the documented default as a flag, as --flag=value and from the environment, with the same result as leaving it out', () => {
      const defaults = parseConfig([], {});
      expect(parseConfig([flag, documented], {})).toEqual(defaults);
      expect(parseConfig([`${flag}=${documented}`], {})).toEqual(defaults);
      expect(parseConfig([], { [env]: documented })).toEqual(defaults);
    });
    it.skipIf(SECRETS.includes(flag))('reads the environment variable, and never when the flag is given', () => {
      expect(configErrorOf([], { [env]: 'not valid!' })).toMatch(new RegExp(`^${env}: "not valid!" `));
      expect(parseConfig([flag, documented], { [env]: 'not valid!' })).toEqual(parseConfig([], {}));
    });
  });

  it('uses the documented defaults', () => {
    expect(parseConfig([], {})).toMatchObject({
      smtp: {
        host: '127.0.0.1', port: 2525, maxMessageSize: 10 * 1024 ** 2, maxRecipients: 100, tls: null,
        limits: {
          maxConnections: 2500, maxConnectionsPerIp: 20, idleTimeoutMs: 60_000, sessionTimeoutMs: 600_000, dataTimeoutMs: 300_000,
          maxCommandLength: 12_288, maxLineLength: 65_536, maxBadCommands: 20,
        },
      },
      http: { host: '127.0.0.1', port: 8080, waitMaxMs: 120_000, publicOrigins: [] },
      store: { ttlMs: 3_600_000, memoryLimit: 256 * 1024 ** 2, memoryShare: 128 * 1024 ** 2, inboxLimit: 200, backend: { kind: 'memory' }, dataDir: null },
      domains: { domains: ['ephemail.test'], defaultDomain: 'ephemail.test', catchAll: true, simulatorDomain: 'simulator.ephemail.test' },
      parse: { workers: 2 },
      logLevel: 'info',
    });
  });

  describe.each([...CASES, ...TLS_CASES])('$flag', (c) => {
    it('reads the flag', () => {
      expect(c.read(parseConfig([c.flag, c.value(), ...partner(c.flag)], {}))).toEqual(c.expected());
    });
    it('reads the --flag=value form', () => {
      expect(c.read(parseConfig([`${c.flag}=${c.other()}`, ...partner(c.flag)], {}))).toEqual(c.expectedOther());
    });
    it(`reads ${c.env}`, () => {
      const [partnerFlag, partnerValue] = partner(c.flag);
      const env: Record<string, string> = { [c.env]: c.value() };
      if (partnerFlag !== undefined && partnerValue !== undefined) env[partnerFlag === '--tls-key' ? 'EPHEMAIL_TLS_KEY' : 'EPHEMAIL_TLS_CERT'] = partnerValue;
      expect(c.read(parseConfig([], env))).toEqual(c.expected());
    });
    it('lets the flag win over the environment', () => {
      if (c.flag.startsWith('--tls-')) {
        // Point the environment at a file that is not there: the flag must win before it is read.
        const env = { [c.env]: file('missing.pem') };
        expect(c.read(parseConfig([c.flag, c.value(), ...partner(c.flag)], env))).toEqual(c.expected());
        return;
      }
      expect(c.read(parseConfig([c.flag, c.other()], { [c.env]: c.value() }))).toEqual(c.expectedOther());
    });
  });

  it('keeps everything after the first = as the value', () => {
    const path = file('with=sign.pem');
    writeFileSync(path, pair.cert);
    expect(parseConfig([`--tls-cert=${path}`, `--tls-key=${file('key.pem')}`], {}).smtp.tls?.cert).toBe(pair.cert);
  });

  it('turns --memory-share into bytes of --memory-limit, fractions of a per cent included', () => {
    expect(parseConfig(['--memory-share', '12.5%', '--memory-limit', '1GB'], {}).store.memoryShare).toBe(128 * 1024 ** 2);
    expect(parseConfig(['--memory-share', ' 99 % ', '--memory-limit', '100MB'], {}).store.memoryShare).toBe(Math.floor(99 * 1024 ** 2));
  });

  it('treats empty certificate settings as none', () => {
    expect(parseConfig(['--tls-cert', '', '--tls-key='], { EPHEMAIL_TLS_CERT: '' }).smtp.tls).toBeNull();
  });
});

describe('configuration errors', () => {
  const portHint = 'is not a port; use a whole number from 0 to 65535 (0 picks a free port)';
  const sizeHint = 'use a byte count or 512KB, 10MB, 1GB';
  const durationHint = 'use 90s, 10m, 1h or 2d';
  it.each([
    [['--ttl', '1 hour'], `--ttl: "1 hour" is not a duration; ${durationHint}`],
    [['--ttl', '90'], `--ttl: "90" is not a duration; ${durationHint}`],
    [['--ttl=0s'], `--ttl: "0s" must be longer than zero; ${durationHint}`],
    [['--wait-max', '-5s'], `--wait-max: "-5s" is not a duration; ${durationHint}`],
    [['--ttl', '99999999999999999999d'], `--ttl: "99999999999999999999d" is too long; ${durationHint}`],
    [['--max-message-size', 'ten'], `--max-message-size: "ten" is not a size; ${sizeHint}`],
    [['--max-message-size', '10 TB'], `--max-message-size: "10 TB" is not a size; ${sizeHint}`],
    [['--memory-limit', '0'], `--memory-limit: "0" must be larger than zero; ${sizeHint}`],
    [['--memory-limit', '99999999999999999999GB'], `--memory-limit: "99999999999999999999GB" is too large; ${sizeHint}`],
    [['--smtp-port', '70000'], `--smtp-port: "70000" ${portHint}`],
    [['--http-port', '-1'], `--http-port: "-1" ${portHint}`],
    [['--smtp-port', '25.5'], `--smtp-port: "25.5" ${portHint}`],
    [['--inbox-limit', '0'], '--inbox-limit: "0" is not a whole number of at least 1'],
    [['--memory-share', '0%'], '--memory-share: "0%" is not a percentage; use a number above 0 and at most 100, such as 50%'],
    [['--memory-share', '150'], '--memory-share: "150" is not a percentage; use a number above 0 and at most 100, such as 50%'],
    [['--memory-share', 'half'], '--memory-share: "half" is not a percentage; use a number above 0 and at most 100, such as 50%'],
    [['--memory-limit', '16MB'], '--memory-share: "50%" of --memory-limit (16MB) is less than --max-message-size (10MB); no client could send a message that large. Raise --memory-share or --memory-limit'],
    [['--memory-share', '10', '--memory-limit', '64MB'], '--memory-share: "10%" of --memory-limit (64MB) is less than --max-message-size (10MB); no client could send a message that large. Raise --memory-share or --memory-limit'],
    [['--store', 'postgres://db/1'], '--store: "postgres://db/1" is not a store; use memory or redis://host:port/db (rediss:// for TLS, redis://:password@host:port/db with a password)'],
    [['--smtp-max-command-length', '100'], '--smtp-max-command-length: "100" is less than 512 bytes; RFC 5321 guarantees 512-byte command lines, so use at least 512'],
    [['--smtp-max-line-length', '999'], '--smtp-max-line-length: "999" is less than 1000 bytes; RFC 5321 guarantees 1000-byte text lines, so use at least 1000'],
    [['--smtp-idle-timeout', 'forever'], `--smtp-idle-timeout: "forever" is not a duration; ${durationHint}`],
    [['--parse-workers', 'two'], '--parse-workers: "two" is not a whole number of at least 1'],
    [['--max-recipients', '2.5'], '--max-recipients: "2.5" is not a whole number of at least 1'],
    [['--domains', 'exa mple.test,*'], '--domains: "exa mple.test,*" has "exa mple.test", which is not a domain name; use e.g. ephemail.test,*'],
    [['--domains', 'localhost'], '--domains: "localhost" has "localhost", which is not a domain name; use e.g. ephemail.test,*'],
    [['--domains', '*'], '--domains: "*" names no plain domain; generated addresses need one, e.g. ephemail.test,*'],
    [['--simulator', 'disabled'], '--simulator: "disabled" is not a switch; use true or false'],
    [['--log-level', 'loud'], '--log-level: "loud" is not a log level; use one of debug, info, warn, error, silent'],
    [['--host', 'my host'], '--host: "my host" is not a host; use an IP address such as 127.0.0.1 or 0.0.0.0, or a host name'],
    [['--public-url', 'ftp://mail.example.com'], '--public-url: "ftp://mail.example.com" has "ftp://mail.example.com", which is not an http or https URL; use e.g. https://mail.example.com'],
    [['--public-url', 'https://mail.example.com/inbox'], '--public-url: "https://mail.example.com/inbox" has "https://mail.example.com/inbox", which is more than an origin; give only scheme, host and optional port, e.g. https://mail.example.com'],
    [['--memory-limit', '1MB'], '--max-message-size: "10MB" is larger than --memory-limit (1MB); such a message could never be kept'],
    [['--max-message-size', '300KB', '--memory-limit', '200KB'], '--max-message-size: "300KB" is larger than --memory-limit (200KB); such a message could never be kept'],
    [['--colour', 'red'], '--colour: unknown option; run with --help to see every option'],
    [['--ttl=1h', 'extra'], 'extra: unknown option; run with --help to see every option'],
    [['--ttl'], '--ttl: needs a value; run with --help to see every option'],
    [['--tls-cert', '--tls-key', 'key.pem'], '--tls-cert: needs a value; run with --help to see every option'],
  ])('%j -> %s', (argv, message) => {
    expect(configErrorOf(argv)).toBe(message);
  });

  it('names the environment variable when the value came from there', () => {
    expect(configErrorOf([], { EPHEMAIL_HTTP_PORT: 'http' })).toBe(`EPHEMAIL_HTTP_PORT: "http" ${portHint}`);
    expect(configErrorOf([], { EPHEMAIL_TTL: '' })).toBe(`EPHEMAIL_TTL: "" is not a duration; ${durationHint}`);
  });

  it('refuses a certificate without its key, and a key without its certificate', () => {
    expect(configErrorOf(['--tls-cert', file('cert.pem')])).toBe('--tls-key: missing; --tls-cert and --tls-key go together');
    expect(configErrorOf([], { EPHEMAIL_TLS_KEY: file('key.pem') })).toBe('--tls-cert: missing; --tls-cert and --tls-key go together');
  });

  it('refuses a file that cannot be read, naming the option and the path', () => {
    const missing = file('nope.pem');
    expect(configErrorOf(['--tls-cert', missing, '--tls-key', file('key.pem')]))
      .toBe(`--tls-cert: "${missing}" cannot be read (ENOENT); give the path of a PEM file`);
    expect(configErrorOf(['--tls-cert', file('cert.pem'), '--tls-key', dir]))
      .toBe(`--tls-key: "${dir}" cannot be read (EISDIR); give the path of a PEM file`);
  });

  it('refuses files that are not a matching certificate and key', () => {
    expect(configErrorOf(['--tls-cert', file('not-pem.txt'), '--tls-key', file('key.pem')]))
      .toMatch(/^--tls-cert\/--tls-key: the files are not a PEM certificate and its private key \(.+\)$/);
    expect(configErrorOf(['--tls-cert', file('cert.pem'), '--tls-key', file('other-key.pem')]))
      .toMatch(/^--tls-cert\/--tls-key: the files are not a PEM certificate and its private key \(.+\)$/);
  });
});

describe('help', () => {
  it('recognises --help and -h', () => {
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--ttl', '1h', '-h'])).toBe(true);
    expect(wantsHelp(['--ttl', '1h'])).toBe(false);
  });

  it('prints one table row per option with flag, env, default and meaning', () => {
    const lines = optionsTable().split('\n');
    expect(lines.slice(0, 2)).toEqual(['| flag | env | default | meaning |', '|---|---|---|---|']);
    expect(lines).toContain('| --ttl | EPHEMAIL_TTL | 1h | message lifetime (90s, 10m, 1h, 2d) |');
    expect(lines.find((line) => line.startsWith('| --tls-cert '))).toMatch(/^\| --tls-cert \| EPHEMAIL_TLS_CERT \| \(none\) \| .+ \|$/);
    const rows = lines.slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(CASES.length + TLS_CASES.length);
    for (const row of rows) expect(row).toMatch(/^\| --[a-z-]+ \| EPHEMAIL_[A-Z_]+ \| [^|]+ \| [^|]+ \|$/);
    expect(new Set(tableRows().map((row) => row.flag)).size).toBe(rows.length);
    expect(tableRows().map((row) => row.env)).toEqual(tableRows().map((row) => `EPHEMAIL_${row.flag.slice(2).replace(/-/g, '_').toUpperCase()}`));
  });

  const readme = new URL('../../README.md', import.meta.url);
  it.skipIf(!existsSync(readme))('README.md shows exactly the option table --help prints', () => {
    expect(readFileSync(readme, 'utf8')).toContain(optionsTable());
  });
});
