import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { allowedOrigins, isAllowedOrigin } from '../../src/http/events/origin.js';

function publicOrigins(args: string[], env: Record<string, string> = {}) {
  return parseConfig(args, env).http.publicOrigins;
}

describe('--public-url', () => {
  it('is empty by default', () => {
    expect(publicOrigins([])).toEqual([]);
  });

  it('takes a comma-separated list of origins, normalised as browsers send them', () => {
    expect(publicOrigins(['--public-url', 'https://Mail.Example.com/, http://inbox.example.com:80, https://mail.example.com'])).toEqual([
      'https://mail.example.com',
      'http://inbox.example.com',
    ]);
  });

  it('comes from EPHEMAIL_PUBLIC_URL, and the flag wins', () => {
    expect(publicOrigins([], { EPHEMAIL_PUBLIC_URL: 'https://env.example' })).toEqual(['https://env.example']);
    expect(publicOrigins(['--public-url', 'https://flag.example'], { EPHEMAIL_PUBLIC_URL: 'https://env.example' })).toEqual(['https://flag.example']);
  });

  it.each([
    ['mail.example.com', /--public-url: "mail.example.com" has "mail.example.com", which is not an http or https URL; use e.g. https:\/\/mail.example.com/],
    ['ftp://mail.example.com', /not an http or https URL/],
    ['https://mail.example.com/inbox', /which is more than an origin; give only scheme, host and optional port/],
    ['https://user:pw@mail.example.com', /more than an origin/],
    ['https://ok.example,https://mail.example.com/?q=1', /has "https:\/\/mail.example.com\/\?q=1", which is more than an origin/],
  ])('refuses %s with a clear message', (value, message) => {
    expect(() => parseConfig(['--public-url', value], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--public-url', value], {})).toThrow(message);
  });
});

describe('allowedOrigins', () => {
  it('uses the public origins when there are any', () => {
    expect(allowedOrigins({ host: '127.0.0.1', publicOrigins: ['https://mail.example.com'] }, 8080)).toEqual(['https://mail.example.com']);
  });

  it('is the listening address plus localhost and 127.0.0.1 on loopback', () => {
    expect(allowedOrigins({ host: '127.0.0.1', publicOrigins: [] }, 8080)).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(allowedOrigins({ host: 'localhost', publicOrigins: [] }, 80)).toEqual(['http://localhost', 'http://127.0.0.1']);
    expect(allowedOrigins({ host: '::1', publicOrigins: [] }, 8080)).toEqual(['http://[::1]:8080', 'http://localhost:8080', 'http://127.0.0.1:8080']);
  });

  it('adds the loopback names on a wildcard bind too, and nothing on another address', () => {
    expect(allowedOrigins({ host: '0.0.0.0', publicOrigins: [] }, 8080)).toEqual(['http://0.0.0.0:8080', 'http://localhost:8080', 'http://127.0.0.1:8080']);
    expect(allowedOrigins({ host: '192.0.2.7', publicOrigins: [] }, 8080)).toEqual(['http://192.0.2.7:8080']);
  });
});

describe('isAllowedOrigin', () => {
  const allowed = new Set(['http://localhost:8080', 'https://mail.example.com']);

  it('passes requests without an Origin header', () => {
    expect(isAllowedOrigin(undefined, allowed, 'localhost:8080')).toBe(true);
  });

  it('compares origins the way browsers write them', () => {
    expect(isAllowedOrigin('http://localhost:8080', allowed, 'localhost:8080')).toBe(true);
    expect(isAllowedOrigin('HTTPS://MAIL.EXAMPLE.COM:443', allowed, 'localhost:8080')).toBe(true);
    expect(isAllowedOrigin('http://localhost:8081', allowed, 'localhost:8080')).toBe(false);
    expect(isAllowedOrigin('http://mail.example.com', allowed, 'localhost:8080')).toBe(false);
  });

  it('passes a page of the host the request was sent to, however it was opened, and no other', () => {
    expect(isAllowedOrigin('http://192.168.1.20:8080', allowed, '192.168.1.20:8080')).toBe(true);
    expect(isAllowedOrigin('http://Inbox.LAN', allowed, 'inbox.lan:80')).toBe(true);
    expect(isAllowedOrigin('http://[fe80::1]:8080', allowed, '[FE80::1]:8080')).toBe(true);
    expect(isAllowedOrigin('http://192.168.1.20:8081', allowed, '192.168.1.20:8080')).toBe(false);
    expect(isAllowedOrigin('https://evil.example', allowed, '192.168.1.20:8080')).toBe(false);
    expect(isAllowedOrigin('ftp://192.168.1.20:8080', allowed, '192.168.1.20:8080')).toBe(false);
    expect(isAllowedOrigin('http://192.168.1.20:8080', allowed, undefined)).toBe(false);
    expect(isAllowedOrigin('http://192.168.1.20:8080', allowed, 'not a host/')).toBe(false);
  });

  it('refuses the opaque origin and garbage', () => {
    expect(isAllowedOrigin('null', allowed, 'localhost:8080')).toBe(false);
    expect(isAllowedOrigin('', allowed, 'localhost:8080')).toBe(false);
    expect(isAllowedOrigin('not a url', allowed, 'localhost:8080')).toBe(false);
  });
});
