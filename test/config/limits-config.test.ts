import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsTable, parseConfig, type SmtpLimits } from '../../src/config/config.js';
import { configErrorOf } from '../support/config-error.js';

/** The SMTP limit options: how each is set, a value other than the default, and where it lands. */
interface LimitCase {
  flag: string;
  env: string;
  key: keyof SmtpLimits;
  defaultValue: number;
  value: string;
  expected: number;
  other: string;
  expectedOther: number;
}

const CASES: LimitCase[] = [
  { flag: '--smtp-max-connections', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS', key: 'maxConnections', defaultValue: 2_500, value: '100', expected: 100, other: '1', expectedOther: 1 },
  { flag: '--smtp-max-connections-per-ip', env: 'EPHEMAIL_SMTP_MAX_CONNECTIONS_PER_IP', key: 'maxConnectionsPerIp', defaultValue: 20, value: '5', expected: 5, other: '500', expectedOther: 500 },
  { flag: '--smtp-idle-timeout', env: 'EPHEMAIL_SMTP_IDLE_TIMEOUT', key: 'idleTimeoutMs', defaultValue: 60_000, value: '5m', expected: 300_000, other: '500ms', expectedOther: 500 },
  { flag: '--smtp-session-timeout', env: 'EPHEMAIL_SMTP_SESSION_TIMEOUT', key: 'sessionTimeoutMs', defaultValue: 600_000, value: '1h', expected: 3_600_000, other: '2s', expectedOther: 2_000 },
  { flag: '--smtp-data-timeout', env: 'EPHEMAIL_SMTP_DATA_TIMEOUT', key: 'dataTimeoutMs', defaultValue: 300_000, value: '90s', expected: 90_000, other: '1.5s', expectedOther: 1_500 },
  { flag: '--smtp-max-command-length', env: 'EPHEMAIL_SMTP_MAX_COMMAND_LENGTH', key: 'maxCommandLength', defaultValue: 12_288, value: '16KB', expected: 16_384, other: '512', expectedOther: 512 },
  { flag: '--smtp-max-line-length', env: 'EPHEMAIL_SMTP_MAX_LINE_LENGTH', key: 'maxLineLength', defaultValue: 65_536, value: '1MB', expected: 1_048_576, other: '1000', expectedOther: 1_000 },
  { flag: '--smtp-max-bad-commands', env: 'EPHEMAIL_SMTP_MAX_BAD_COMMANDS', key: 'maxBadCommands', defaultValue: 20, value: '3', expected: 3, other: '1', expectedOther: 1 },
];

const limitsOf = (argv: string[], env: Record<string, string> = {}): SmtpLimits => parseConfig(argv, env).smtp.limits;


describe('SMTP limit options', () => {
  it('default to the documented values', () => {
    expect(limitsOf([])).toEqual(Object.fromEntries(CASES.map((c) => [c.key, c.defaultValue])));
  });

  describe.each(CASES)('$flag', (c) => {
    it('reads the flag, the --flag=value form and the environment', () => {
      expect(limitsOf([c.flag, c.value])[c.key]).toBe(c.expected);
      expect(limitsOf([`${c.flag}=${c.other}`])[c.key]).toBe(c.expectedOther);
      expect(limitsOf([], { [c.env]: c.value })[c.key]).toBe(c.expected);
    });
    it('lets the flag win over the environment', () => {
      expect(limitsOf([c.flag, c.other], { [c.env]: c.value })[c.key]).toBe(c.expectedOther);
    });
    it('appears in --help with its variable and default', () => {
      const row = optionsTable().split('\n').find((line) => line.startsWith(`| ${c.flag} |`));
      expect(row).toMatch(new RegExp(`^\\| ${c.flag} \\| ${c.env} \\| [^|]+ \\| .+ \\|$`));
      const shown = row?.split(' | ')[2] ?? '';
      expect(limitsOf([c.flag, shown])[c.key]).toBe(c.defaultValue);
    });
  });

  const readme = new URL('../../README.md', import.meta.url);
  it.skipIf(!existsSync(readme))('are in README.md exactly as --help prints them', () => {
    const text = readFileSync(readme, 'utf8');
    for (const c of CASES) {
      const row = optionsTable().split('\n').find((line) => line.startsWith(`| ${c.flag} |`)) ?? c.flag;
      expect(text).toContain(row);
    }
  });
});

describe('SMTP limit option errors', () => {
  const countHint = 'is not a whole number of at least 1';
  const durationHint = 'use 90s, 10m, 1h or 2d';
  const sizeHint = 'use a byte count or 512KB, 10MB, 1GB';
  it.each([
    [['--smtp-max-connections', '0'], `--smtp-max-connections: "0" ${countHint}`],
    [['--smtp-max-connections', 'lots'], `--smtp-max-connections: "lots" ${countHint}`],
    [['--smtp-max-connections-per-ip', '2.5'], `--smtp-max-connections-per-ip: "2.5" ${countHint}`],
    [['--smtp-max-connections-per-ip', '-1'], `--smtp-max-connections-per-ip: "-1" ${countHint}`],
    [['--smtp-idle-timeout', '60'], `--smtp-idle-timeout: "60" is not a duration; ${durationHint}`],
    [['--smtp-idle-timeout=0s'], `--smtp-idle-timeout: "0s" must be longer than zero; ${durationHint}`],
    [['--smtp-session-timeout', 'forever'], `--smtp-session-timeout: "forever" is not a duration; ${durationHint}`],
    [['--smtp-data-timeout', '-5m'], `--smtp-data-timeout: "-5m" is not a duration; ${durationHint}`],
    [['--smtp-data-timeout', '99999999999999999999d'], `--smtp-data-timeout: "99999999999999999999d" is too long; ${durationHint}`],
    [['--smtp-max-command-length', 'long'], `--smtp-max-command-length: "long" is not a size; ${sizeHint}`],
    [['--smtp-max-command-length', '511'], '--smtp-max-command-length: "511" is less than 512 bytes; RFC 5321 guarantees 512-byte command lines, so use at least 512'],
    [['--smtp-max-line-length', '0'], `--smtp-max-line-length: "0" must be larger than zero; ${sizeHint}`],
    [['--smtp-max-line-length', '998'], '--smtp-max-line-length: "998" is less than 1000 bytes; RFC 5321 guarantees 1000-byte text lines, so use at least 1000'],
    [['--smtp-max-bad-commands', '0'], `--smtp-max-bad-commands: "0" ${countHint}`],
    [['--smtp-max-bad-commands'], '--smtp-max-bad-commands: needs a value; run with --help to see every option'],
  ])('%j -> %s', (argv, message) => {
    expect(configErrorOf(argv)).toBe(message);
  });

  it('names the environment variable when the value came from there', () => {
    expect(configErrorOf([], { EPHEMAIL_SMTP_IDLE_TIMEOUT: 'soon' })).toBe(`EPHEMAIL_SMTP_IDLE_TIMEOUT: "soon" is not a duration; ${durationHint}`);
    expect(configErrorOf([], { EPHEMAIL_SMTP_MAX_LINE_LENGTH: '80' })).toBe('EPHEMAIL_SMTP_MAX_LINE_LENGTH: "80" is less than 1000 bytes; RFC 5321 guarantees 1000-byte text lines, so use at least 1000');
  });
});
