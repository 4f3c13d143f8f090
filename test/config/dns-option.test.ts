import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

const dnsOf = (value?: string, env: Record<string, string> = {}) => parseConfig(value === undefined ? [] : ['--dns-servers', value], env).report.dns;

describe('--dns-servers', () => {
  it('uses the system resolvers by default, and takes off', () => {
    expect(dnsOf()).toEqual({ kind: 'system' });
    expect(dnsOf('off')).toEqual({ kind: 'off' });
    expect(dnsOf(undefined, { EPHEMAIL_DNS_SERVERS: 'off' })).toEqual({ kind: 'off' });
  });

  it('takes IPv4 and IPv6 addresses with or without a port', () => {
    expect(dnsOf('10.0.0.2, 127.0.0.1:5353,::1,[::1]:53')).toEqual({ kind: 'servers', servers: ['10.0.0.2', '127.0.0.1:5353', '::1', '[::1]:53'] });
  });

  it.each([
    ['dns.example.com', '--dns-servers: "dns.example.com" has "dns.example.com", which is not an IP address with an optional port; use e.g. 127.0.0.1:5353 or [::1]:53, or system, or off'],
    ['127.0.0.1:0', '--dns-servers: "127.0.0.1:0" has "127.0.0.1:0", which is not an IP address with an optional port; use e.g. 127.0.0.1:5353 or [::1]:53, or system, or off'],
    ['127.0.0.1:99999', '--dns-servers: "127.0.0.1:99999" has "127.0.0.1:99999", which is not an IP address with an optional port; use e.g. 127.0.0.1:5353 or [::1]:53, or system, or off'],
    [' , ', '--dns-servers: " , " names no server; use system, off, or addresses such as 127.0.0.1:5353'],
  ])('refuses %j with a sentence naming the option', (value, message) => {
    expect(() => dnsOf(value)).toThrow(new ConfigError(message));
  });
});
