import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';

function errorOf(value: string): string {
  try {
    parseConfig(['--store', value], {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`--store ${value} did not fail`);
}

describe('--store', () => {
  it('takes memory and Redis URLs with or without port, database and password', () => {
    expect(parseConfig([], { EPHEMAIL_STORE: 'redis://127.0.0.1:6379/0' }).store.backend).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379/0' });
    expect(parseConfig(['--store', ' redis://redis '], {}).store.backend).toEqual({ kind: 'redis', url: 'redis://redis' });
    expect(parseConfig(['--store', 'rediss://:s3cret@cache.example:6380/3'], {}).store.backend).toEqual({ kind: 'redis', url: 'rediss://:s3cret@cache.example:6380/3' });
    expect(parseConfig(['--store', 'memory'], {}).store.backend).toEqual({ kind: 'memory' });
  });

  it.each([
    ['redis', /^--store: "redis" is not a store; use memory or redis:\/\/host:port\/db/],
    ['postgres://db:5432/mail', /^--store: ".*" is not a store; use memory or redis/],
    ['redis://cache:6379/zero', /^--store: ".*" has "\/zero" where a database number belongs/],
    ['redis://cache:99999/0', /^--store: ".*" is not a store/],
    ['redis://cache:6379/0?tls=1', /^--store: ".*" has extra parts after the database number/],
  ])('refuses %s with a line naming the option', (value, message) => {
    expect(errorOf(value)).toMatch(message);
  });
});
