import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bannerText, type BannerFacts, type NetworkInterfaces } from '../../src/cli/banner.js';

function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24` };
}

function ipv6(address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal, cidr: `${address}/64`, scopeid: 0 };
}

// A laptop: loopback, Wi-Fi with a global and a link-local IPv6 address, and a VPN.
const LAPTOP: NetworkInterfaces = {
  lo: [ipv4('127.0.0.1', true), ipv6('::1', true)],
  wlan0: [ipv4('192.168.1.20'), ipv6('2001:db8::20'), ipv6('fe80::1c2a:3bff:fe4d:5e6f')],
  tun0: [ipv4('10.8.0.3')],
};

const facts = (host: string, publicOrigins: string[] = []): BannerFacts => ({
  host, smtpPort: 2525, httpPort: 8080, publicOrigins, defaultDomain: 'ephemail.test',
});

/** The page URLs the banner offers, in order. */
function pageUrls(text: string): string[] {
  const single = /^ {2}Open (\S+) for an address of your own/m.exec(text);
  if (single !== null) return [single[1] ?? ''];
  return [...text.matchAll(/^ {8}(http\S+)$/gm)].map((match) => match[1] ?? '');
}

describe('the start-up banner', () => {
  it('names a loopback bind as it is, in one line, whatever the interfaces', () => {
    const text = bannerText(facts('127.0.0.1'), LAPTOP);
    expect(text).toBe([
      'Ephemail is running.',
      '  SMTP  127.0.0.1:2525',
      '  HTTP  http://127.0.0.1:8080',
      '  Open http://127.0.0.1:8080 for an address of your own, or send to any name (chosen names are public):',
      '  Try:  swaks --to example@ephemail.test --server 127.0.0.1:2525',
      '  Then: curl http://127.0.0.1:8080/api/inboxes/example@ephemail.test/messages',
      '',
    ].join('\n'));
  });

  it('on 0.0.0.0, offers localhost and this machine\'s IPv4 addresses, never the wildcard', () => {
    const text = bannerText(facts('0.0.0.0'), LAPTOP);
    expect(pageUrls(text)).toEqual(['http://localhost:8080', 'http://192.168.1.20:8080', 'http://10.8.0.3:8080']);
    expect(text).not.toContain('0.0.0.0');
    expect(text).toContain('  HTTP  http://127.0.0.1:8080\n');
  });

  it('on ::, adds the IPv6 addresses a browser can open, but not link-local ones', () => {
    expect(pageUrls(bannerText(facts('::'), LAPTOP))).toEqual([
      'http://localhost:8080', 'http://192.168.1.20:8080', 'http://[2001:db8::20]:8080', 'http://10.8.0.3:8080',
    ]);
  });

  it('puts the --public-url origins first', () => {
    expect(pageUrls(bannerText(facts('0.0.0.0', ['https://mail.example.com']), LAPTOP))[0]).toBe('https://mail.example.com');
    expect(pageUrls(bannerText(facts('127.0.0.1', ['https://mail.example.com']), LAPTOP)))
      .toEqual(['https://mail.example.com', 'http://127.0.0.1:8080']);
  });

  it('stays short on a host with many interfaces, and says how many it left out', () => {
    const bridges: NetworkInterfaces = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`br${i}`, [ipv4(`172.${17 + i}.0.1`)]]));
    const text = bannerText(facts('0.0.0.0'), bridges);
    expect(pageUrls(text)).toEqual(['http://localhost:8080', ...[17, 18, 19, 20].map((octet) => `http://172.${octet}.0.1:8080`)]);
    expect(text).toContain('        (and 5 more addresses of this machine)\n');
  });

  it('offers localhost alone on a machine with no network', () => {
    expect(pageUrls(bannerText(facts('0.0.0.0'), { lo: [ipv4('127.0.0.1', true)] }))).toEqual(['http://localhost:8080']);
  });
});
