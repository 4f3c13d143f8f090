import { describe, expect, it } from 'vitest';
import { clientAddress, UNKNOWN_CLIENT } from '../../src/http/client-ip.js';
import { clientKey } from '../../src/http/client-key.js';

describe('clientAddress', () => {
  it('is the socket address while no proxy is trusted, whatever the header says', () => {
    expect(clientAddress('203.0.113.5', '198.51.100.1', 0)).toBe('203.0.113.5');
    expect(clientAddress(undefined, '198.51.100.1', 0)).toBe(UNKNOWN_CLIENT);
  });

  it('takes the entry the outermost trusted proxy appended', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1', 1)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', 'forged, 198.51.100.1', 1)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', '192.0.2.9 ,198.51.100.1 , 10.0.0.1', 2)).toBe('198.51.100.1');
    // Fewer entries than proxies: the furthest one there is.
    expect(clientAddress('10.0.0.2', '198.51.100.1', 3)).toBe('198.51.100.1');
  });

  it('reads entries with ports, brackets and quotes, and falls back to the socket on anything else', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1:51234', 1)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', '[2001:db8::7]:443', 1)).toBe('2001:db8::7');
    expect(clientAddress('10.0.0.2', '"[2001:db8::7]"', 1)).toBe('2001:db8::7');
    expect(clientAddress('10.0.0.2', '2001:db8::7', 1)).toBe('2001:db8::7');
    for (const header of ['unknown', '_hidden', '', ' , ', '999.1.1.1', 'evil.example']) {
      expect(clientAddress('10.0.0.2', header, 1), header).toBe('10.0.0.2');
    }
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
  });
});

describe('clientKey', () => {
  it('keeps IPv4 addresses as they are', () => {
    expect(clientKey('203.0.113.5')).toBe('203.0.113.5');
  });

  it('folds IPv6 addresses to their /64, however they are written', () => {
    const key = '2001:db8:1:2::/64';
    for (const address of ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:9', '2001:db8:1:2::3%eth0']) {
      expect(clientKey(address), address).toBe(key);
    }
    expect(clientKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(clientKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(clientKey('::ffff:cb00:7105')).toBe('203.0.113.5');
  });

  it('leaves anything that is not an IP as it is', () => {
    expect(clientKey(UNKNOWN_CLIENT)).toBe(UNKNOWN_CLIENT);
  });
});
