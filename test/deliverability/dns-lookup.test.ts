import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, createDnsLookup, withDeadline, type DnsLimits } from '../../src/report/dns-resolver.js';
import { startBrokenDnsServer, startDnsServer, type TestDnsServer } from '../support/dns-server.js';

const limits: DnsLimits = { queryTimeoutMs: 1_000, maxInFlight: 16, cacheEntries: 100, cacheTtlMs: 60_000 };
const servers: TestDnsServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'answered';
  } catch (error) {
    return codeOf(error);
  }
}

describe('the report\'s DNS lookup', () => {
  it('keeps answers and "no such name" alike, so a server gone meanwhile changes nothing for a minute', async () => {
    const dns = await startDnsServer({ txt: { 'good.test': 'v=spf1 -all' } });
    const lookup = createDnsLookup({ kind: 'servers', servers: [dns.address] }, limits);
    expect(await lookup('good.test', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await failure(lookup('missing.test', 'TXT'))).toBe('ENOTFOUND');
    await dns.stop();
    expect(await lookup('GOOD.test', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await failure(lookup('missing.test', 'TXT'))).toBe('ENOTFOUND');
  });

  it('does not keep a timeout, and asks once for identical lookups in flight', async () => {
    const dns = await startBrokenDnsServer('silent');
    servers.push(dns);
    const lookup = createDnsLookup({ kind: 'servers', servers: [dns.address] }, { ...limits, queryTimeoutMs: 200 });
    expect(await Promise.all([failure(lookup('a.test', 'TXT')), failure(lookup('a.test', 'TXT'))])).toEqual(['ETIMEOUT', 'ETIMEOUT']);
    expect(dns.queries()).toBe(1);
    expect(await failure(lookup('a.test', 'TXT'))).toBe('ETIMEOUT');
    expect(dns.queries()).toBe(2);
  });

  it('sends at most maxInFlight queries at once; the others wait their turn', async () => {
    const dns = await startBrokenDnsServer('silent');
    servers.push(dns);
    const lookup = createDnsLookup({ kind: 'servers', servers: [dns.address] }, { ...limits, maxInFlight: 2, queryTimeoutMs: 1_000 });
    const settled: string[] = [];
    const lookups = ['a', 'b', 'c', 'd'].map((name) => failure(lookup(`${name}.test`, 'TXT')).then((code) => settled.push(code)));
    await expect.poll(() => dns.queries()).toBe(2);
    // The third query can leave only when one of the first two has timed out, a second from now.
    expect(dns.queries()).toBe(2);
    expect(settled).toEqual([]);
    await Promise.all(lookups);
    expect(settled).toEqual(['ETIMEOUT', 'ETIMEOUT', 'ETIMEOUT', 'ETIMEOUT']);
    expect(dns.queries()).toBe(4);
  });

  it('gives up every lookup at the deadline, and starts none after it', async () => {
    const never = () => new Promise<never>(() => {});
    let now = 1_000;
    const late = withDeadline(never, 1_050, () => now);
    expect(await failure(late('slow.test', 'TXT'))).toBe('ETIMEOUT');
    now = 1_051;
    let asked = 0;
    const counted = withDeadline(() => {
      asked++;
      return Promise.resolve([]);
    }, 1_050, () => now);
    expect(await failure(counted('any.test', 'TXT'))).toBe('ETIMEOUT');
    expect(asked).toBe(0);
  });
});
