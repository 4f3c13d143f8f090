import { describe, expect, it } from 'vitest';
import { optionsTable, parseConfig } from '../../src/config/config.js';
import { configErrorOf } from '../support/config-error.js';


const COUNTS = [
  { flag: '--rate-limit', env: 'EPHEMAIL_RATE_LIMIT', field: 'rateLimitPerMinute', fallback: 600 },
  { flag: '--rate-burst', env: 'EPHEMAIL_RATE_BURST', field: 'rateBurst', fallback: 120 },
  { flag: '--max-waiters-per-client', env: 'EPHEMAIL_MAX_WAITERS_PER_CLIENT', field: 'maxWaitersPerClient', fallback: 20 },
  { flag: '--max-waiters', env: 'EPHEMAIL_MAX_WAITERS', field: 'maxWaiters', fallback: 10_000 },
  { flag: '--http-max-connections', env: 'EPHEMAIL_HTTP_MAX_CONNECTIONS', field: 'maxConnections', fallback: 5_000 },
  { flag: '--http-max-connections-per-client', env: 'EPHEMAIL_HTTP_MAX_CONNECTIONS_PER_CLIENT', field: 'maxConnectionsPerClient', fallback: 64 },
  { flag: '--ws-max-per-client', env: 'EPHEMAIL_WS_MAX_PER_CLIENT', field: 'maxEventSocketsPerClient', fallback: 32 },
] as const;

describe('HTTP limit options', () => {
  it('default to 600 a minute with a burst of 120, 20 waits per client, 10000 in all, and no trusted proxy', () => {
    expect(parseConfig([], {}).http).toMatchObject({
      rateLimitPerMinute: 600, rateBurst: 120, maxWaitersPerClient: 20, maxWaiters: 10_000, trustedProxies: 0,
    });
  });

  it('default to 5000 connections, 64 per client, 32 event sockets per client and a 30 s write timeout', () => {
    expect(parseConfig([], {}).http).toMatchObject({
      maxConnections: 5_000, maxConnectionsPerClient: 64, maxEventSocketsPerClient: 32, writeTimeoutMs: 30_000,
    });
  });

  it('--http-write-timeout takes a duration from the flag or EPHEMAIL_HTTP_WRITE_TIMEOUT, and refuses anything else in one line', () => {
    expect(parseConfig(['--http-write-timeout', '2m'], {}).http.writeTimeoutMs).toBe(120_000);
    expect(parseConfig(['--http-write-timeout=500ms'], {}).http.writeTimeoutMs).toBe(500);
    expect(parseConfig([], { EPHEMAIL_HTTP_WRITE_TIMEOUT: '10s' }).http.writeTimeoutMs).toBe(10_000);
    expect(parseConfig(['--http-write-timeout', '5s'], { EPHEMAIL_HTTP_WRITE_TIMEOUT: '10s' }).http.writeTimeoutMs).toBe(5_000);
    expect(configErrorOf(['--http-write-timeout', '30'])).toBe('--http-write-timeout: "30" is not a duration; use 90s, 10m, 1h or 2d');
    expect(configErrorOf(['--http-write-timeout', '0s'])).toBe('--http-write-timeout: "0s" must be longer than zero; use 90s, 10m, 1h or 2d');
  });

  it.each(COUNTS)('$flag takes a whole number from the flag or $env, the flag winning', ({ flag, env, field }) => {
    expect(parseConfig([flag, '7'], {}).http[field]).toBe(7);
    expect(parseConfig([`${flag}=8`], {}).http[field]).toBe(8);
    expect(parseConfig([], { [env]: '9' }).http[field]).toBe(9);
    expect(parseConfig([flag, '7'], { [env]: '9' }).http[field]).toBe(7);
  });

  it.each(COUNTS)('$flag refuses anything but a whole number of at least 1, in one line', ({ flag, env }) => {
    for (const bad of ['0', '-5', '1.5', 'many', '']) {
      expect(configErrorOf([flag, bad])).toBe(`${flag}: "${bad}" is not a whole number of at least 1`);
    }
    expect(configErrorOf([], { [env]: 'lots' })).toBe(`${env}: "lots" is not a whole number of at least 1`);
  });

  it('--trust-proxy reads yes and no words, or a number of proxies', () => {
    const proxies = (value: string) => parseConfig(['--trust-proxy', value], {}).http.trustedProxies;
    for (const off of ['false', 'no', 'off', '0', ' FALSE ']) expect(proxies(off), off).toBe(0);
    for (const on of ['true', 'yes', 'on', 'True']) expect(proxies(on), on).toBe(1);
    expect(proxies('2')).toBe(2);
    expect(proxies('10')).toBe(10);
    expect(parseConfig([], { EPHEMAIL_TRUST_PROXY: 'true' }).http.trustedProxies).toBe(1);
    expect(parseConfig(['--trust-proxy', 'false'], { EPHEMAIL_TRUST_PROXY: 'true' }).http.trustedProxies).toBe(0);
  });

  it('--trust-proxy refuses anything else in one line', () => {
    const hint = 'is not a proxy setting; use false (clients connect directly), true (one reverse proxy) or how many proxies are in front, up to 10';
    for (const bad of ['maybe', '11', '-1', '1.5', '10.0.0.1', '']) {
      expect(configErrorOf(['--trust-proxy', bad])).toBe(`--trust-proxy: "${bad}" ${hint}`);
    }
    expect(configErrorOf([], { EPHEMAIL_TRUST_PROXY: 'loopback' })).toBe(`EPHEMAIL_TRUST_PROXY: "loopback" ${hint}`);
  });

  it('lets either wait cap be set alone: a per-client cap above the total just never binds', () => {
    expect(parseConfig(['--max-waiters', '7'], {}).http).toMatchObject({ maxWaiters: 7, maxWaitersPerClient: 20 });
    expect(parseConfig(['--max-waiters-per-client', '50000'], {}).http).toMatchObject({ maxWaiters: 10_000, maxWaitersPerClient: 50_000 });
  });

  it('are in the option table with their defaults', () => {
    const table = optionsTable();
    for (const { flag, env, fallback } of COUNTS) expect(table).toContain(`| ${flag} | ${env} | ${fallback} |`);
    expect(table).toContain('| --trust-proxy | EPHEMAIL_TRUST_PROXY | false |');
    expect(table).toContain('| --http-write-timeout | EPHEMAIL_HTTP_WRITE_TIMEOUT | 30s |');
  });
});
