import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/config.js';
import { OPTIONS } from '../../src/config/options.js';
import { BEHIND_PROXY_ENV, HAPROXY_CONFIG } from '../support/haproxy.js';

/** A compose service, as far as these checks read it. */
interface Service {
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }>;
  ports?: string[];
  command?: string[];
  volumes?: string[];
}

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const haproxy = readFileSync(HAPROXY_CONFIG, 'utf8');
const INSTANCES = { a: 'ephemail-a', b: 'ephemail-b' };

/** The ENV lines of the Dockerfile's image: what an instance has unless compose says otherwise. */
function imageEnv(): Record<string, string> {
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(read('Dockerfile'))?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1], match[2]]));
}

/** Each section of docs/haproxy.cfg ("frontend http", "backend ephemail-smtp"…) and its lines. */
function sections(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of haproxy.split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) found.set(line.trim(), current = []);
    else if (line.trim() !== '' && !line.trim().startsWith('#')) current.push(line.trim());
  }
  return found;
}

/** A `timeout <name>` of one section, in ms (HAProxy writes 180s, 11m, 1h). */
function timeoutMs(section: string, name: string): number {
  const line = sections().get(section)?.find((entry) => entry.startsWith(`timeout ${name} `)) ?? '';
  const [, amount, unit] = /^timeout \S+ (\d+)(ms|s|m|h)$/.exec(line) ?? [];
  const factors: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  if (amount === undefined || unit === undefined) throw new Error(`no "timeout ${name}" in ${section}`);
  return Number(amount) * (factors[unit] ?? NaN);
}

/** The port after the last colon of `host:port` or `:port`. */
const portOf = (address: string | undefined) => Number(address?.split(':').at(-1));

describe('compose.yaml and docs/haproxy.cfg describe the shape the scale-out test runs', () => {
  const proxy = compose.services.proxy ?? {};
  const proxyEnv = proxy.environment ?? {};

  it('gives the proxy exactly the variables docs/haproxy.cfg reads, and mounts that file', () => {
    const variables = [...new Set([...haproxy.matchAll(/"\$\{(\w+)\}"/g)].map((match) => match[1]))].sort();
    expect(Object.keys(proxyEnv).sort()).toEqual(variables);
    expect(proxy.volumes).toContain('./docs/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  });

  it('points each backend at its instance\'s own SMTP and HTTP ports, and publishes only the proxy\'s', () => {
    for (const [letter, service] of Object.entries(INSTANCES)) {
      const env = { ...imageEnv(), ...compose.services[service]?.environment };
      expect(proxyEnv[`BACKEND_${letter.toUpperCase()}_SMTP`]).toBe(`${service}:${env.EPHEMAIL_SMTP_PORT}`);
      expect(proxyEnv[`BACKEND_${letter.toUpperCase()}_HTTP`]).toBe(`${service}:${env.EPHEMAIL_HTTP_PORT}`);
      expect(compose.services[service]?.ports).toBeUndefined();
    }
    expect(proxy.ports).toEqual([`2525:${portOf(proxyEnv.LISTEN_SMTP)}`, `8080:${portOf(proxyEnv.LISTEN_HTTP)}`]);
  });

  it('runs each instance with the settings the test gives it, valid options all, and the proxy\'s origin as its public URL', () => {
    const optionEnvs = new Set<string>(Object.values(OPTIONS).map((spec) => spec.env));
    const proxyAddress = proxy.networks?.default?.ipv4_address;
    expect(proxyAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const service of Object.values(INSTANCES)) {
      const env = compose.services[service]?.environment ?? {};
      // The test's proxy is 127.0.0.1; compose's has the fixed address its network gives it.
      expect(env).toMatchObject({ ...BEHIND_PROXY_ENV, EPHEMAIL_SMTP_PROXY_PROTOCOL: proxyAddress });
      expect(Object.keys(env).filter((name) => !optionEnvs.has(name))).toEqual([]);
      const config = parseConfig([], { ...imageEnv(), ...env });
      expect(config.http.trustedProxies).toBe(1);
      // PROXY headers from the proxy alone: a peer elsewhere on the network cannot choose its address.
      expect(config.smtp.proxyProtocol).toEqual([proxyAddress]);
      expect(config.http.publicOrigins).toContain('http://127.0.0.1:8080');
      expect(config.store.backend).toEqual({ kind: 'redis', url: 'redis://redis:6379/0' });
    }
  });

  it('matches what the instances expect of the proxy: X-Forwarded-For on HTTP, a PROXY header on SMTP', () => {
    expect(sections().get('frontend http')).toContain('option forwardfor');
    expect(sections().get('backend ephemail-smtp')?.find((line) => line.startsWith('default-server'))).toMatch(/ send-proxy /);
  });

  it('checks /readyz, which leaves Redis out, once a second, so one failure takes a stopping instance out within its hand-over', () => {
    const backend = sections().get('backend ephemail-http') ?? [];
    expect(backend).toContain('http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost');
    expect(backend.find((line) => line.startsWith('default-server'))).toMatch(/ check inter 1s fall 1 /);
  });

  it('cuts neither a long poll, a live socket nor an SMTP session before Ephemail ends it', () => {
    const defaults = parseConfig([], {});
    expect(timeoutMs('frontend http', 'client')).toBeGreaterThan(defaults.http.waitMaxMs);
    expect(timeoutMs('backend ephemail-http', 'server')).toBeGreaterThan(defaults.http.waitMaxMs);
    // src/http/events/sockets.ts pings every live socket every 30 s.
    expect(timeoutMs('backend ephemail-http', 'tunnel')).toBeGreaterThan(30_000);
    expect(timeoutMs('frontend smtp', 'client')).toBeGreaterThan(defaults.smtp.limits.sessionTimeoutMs);
    expect(timeoutMs('backend ephemail-smtp', 'server')).toBeGreaterThan(defaults.smtp.limits.sessionTimeoutMs);
  });

  it('keeps Redis\'s append-only file on, fsynced every second, on a volume', () => {
    const redis = compose.services.redis ?? {};
    expect(redis.command?.join(' ')).toContain('--appendonly yes --appendfsync everysec');
    expect(redis.volumes).toEqual(['redis-data:/data']);
  });
});
