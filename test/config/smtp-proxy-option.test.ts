import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsTable, parseConfig } from '../../src/config/config.js';
import { configErrorOf } from '../support/config-error.js';

const proxyProtocol = (argv: string[], env: Record<string, string> = {}) => parseConfig(argv, env).smtp.proxyProtocol;

describe('--smtp-proxy-protocol', () => {
  it('is off by default', () => {
    expect(proxyProtocol([])).toBe(false);
  });

  it('reads the flag, the --flag=value form and the environment, and the flag wins', () => {
    expect(proxyProtocol(['--smtp-proxy-protocol', 'true'])).toBe(true);
    expect(proxyProtocol(['--smtp-proxy-protocol=on'])).toBe(true);
    expect(proxyProtocol([], { EPHEMAIL_SMTP_PROXY_PROTOCOL: 'yes' })).toBe(true);
    expect(proxyProtocol(['--smtp-proxy-protocol', 'false'], { EPHEMAIL_SMTP_PROXY_PROTOCOL: 'true' })).toBe(false);
  });

  it('refuses anything but a switch in one line naming the option', () => {
    expect(configErrorOf(['--smtp-proxy-protocol', 'v2'])).toBe('--smtp-proxy-protocol: "v2" is not a switch; use true or false');
    expect(configErrorOf([], { EPHEMAIL_SMTP_PROXY_PROTOCOL: '1.2.3.4' })).toBe('EPHEMAIL_SMTP_PROXY_PROTOCOL: "1.2.3.4" is not a switch; use true or false');
  });

  const readme = new URL('../../README.md', import.meta.url);
  it.skipIf(!existsSync(readme))('is in --help and README.md with its variable and default', () => {
    const row = optionsTable().split('\n').find((line) => line.startsWith('| --smtp-proxy-protocol |'));
    expect(row).toMatch(/^\| --smtp-proxy-protocol \| EPHEMAIL_SMTP_PROXY_PROTOCOL \| false \| .+ \|$/);
    expect(readFileSync(readme, 'utf8')).toContain(row);
  });
});
