import { describe, expect, it } from 'vitest';
import { clientAddress, UNKNOWN_CLIENT } from '../../src/http/limits/client-ip.js';

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
