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

  it('takes the proxies\' IP addresses, comma-separated, IPv4 and IPv6', () => {
    expect(proxyProtocol(['--smtp-proxy-protocol', '10.0.0.5'])).toEqual(['10.0.0.5']);
    expect(proxyProtocol([], { EPHEMAIL_SMTP_PROXY_PROTOCOL: '10.0.0.5, 10.0.0.6,fd00::1' })).toEqual(['10.0.0.5', '10.0.0.6', 'fd00::1']);
  });

  it('refuses anything else in one line naming the option and the value that is not an address', () => {
    const expected = 'use false (clients connect directly), the proxies\' IP addresses, comma-separated (10.0.0.5,10.0.0.6), or true (every connection comes through a proxy)';
    expect(configErrorOf(['--smtp-proxy-protocol', 'v2'])).toBe(`--smtp-proxy-protocol: "v2" is not a proxy setting ("v2" is not an IP address); ${expected}`);
    expect(configErrorOf([], { EPHEMAIL_SMTP_PROXY_PROTOCOL: '10.0.0.5,haproxy' })).toBe(`EPHEMAIL_SMTP_PROXY_PROTOCOL: "10.0.0.5,haproxy" is not a proxy setting ("haproxy" is not an IP address); ${expected}`);
    expect(configErrorOf(['--smtp-proxy-protocol', ' , '])).toBe(`--smtp-proxy-protocol: " , " is not a proxy setting; ${expected}`);
  });

  const readme = new URL('../../README.md', import.meta.url);
  it.skipIf(!existsSync(readme))('is in --help and README.md with its variable and default', () => {
    const row = optionsTable().split('\n').find((line) => line.startsWith('| --smtp-proxy-protocol |'));
    expect(row).toMatch(/^\| --smtp-proxy-protocol \| EPHEMAIL_SMTP_PROXY_PROTOCOL \| false \| .+ \|$/);
    expect(readFileSync(readme, 'utf8')).toContain(row);
  });
});
