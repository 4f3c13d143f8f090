import type { NetworkInterfaceInfo } from 'node:os';

/** Where the server listens and what it answers for, as the banner tells it. */
export interface BannerFacts {
  /** The bind address (--host). */
  host: string;
  smtpPort: number;
  httpPort: number;
  /** --public-url origins; a person opens the page there first. */
  publicOrigins: readonly string[];
  defaultDomain: string;
}

/** The machine's network interfaces, as `os.networkInterfaces()` lists them. */
export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);
// Enough for a laptop's Wi-Fi, Ethernet and a VPN or two; a host with dozens of bridges lists the rest itself.
const MAX_INTERFACE_URLS = 4;
// fe80::/10 needs the interface's zone (%eth0), which browsers do not take in a URL.
const IPV6_LINK_LOCAL = /^fe[89ab]/i;

/**
 * The start-up banner: where SMTP and HTTP listen, the page's addresses a
 * person can open, and how to try it. On a wildcard bind (0.0.0.0, ::) the
 * page is named by localhost and by this machine's own non-internal
 * addresses (IPv6 ones only when bound to ::), never by the wildcard,
 * which no browser can open.
 */
export function bannerText(facts: BannerFacts, interfaces: NetworkInterfaces): string {
  const host = displayHost(facts.host);
  // A chosen name, never a generated one: stdout ends up in logs, and a random address is the key to its inbox.
  const example = `example@${facts.defaultDomain}`;
  const { urls, unlisted } = pageUrls(facts, interfaces);
  const open = urls.length === 1
    ? [`  Open ${urls[0]} for an address of your own, or send to any name (chosen names are public):`]
    : ['  Open one of these for an address of your own, or send to any name (chosen names are public):', ...urls.map((url) => `        ${url}`)];
  if (unlisted > 0) open.push(`        (and ${unlisted} more address${unlisted === 1 ? '' : 'es'} of this machine)`);
  return [
    'Ephemail is running.',
    `  SMTP  ${host}:${facts.smtpPort}`,
    `  HTTP  http://${host}:${facts.httpPort}`,
    ...open,
    `  Try:  swaks --to ${example} --server ${host}:${facts.smtpPort}`,
    `  Then: curl http://${host}:${facts.httpPort}/api/inboxes/${example}/messages`,
    '',
  ].join('\n');
}

/** The page's URLs, best first: the --public-url origins, then where this machine answers; and how many addresses were left out. */
function pageUrls(facts: BannerFacts, interfaces: NetworkInterfaces): { urls: string[]; unlisted: number } {
  const hosts = WILDCARD_HOSTS.has(facts.host) ? interfaceHosts(interfaces, facts.host === '::') : [];
  const local = WILDCARD_HOSTS.has(facts.host) ? ['localhost', ...hosts.slice(0, MAX_INTERFACE_URLS)] : [displayHost(facts.host)];
  const urls = [...new Set([...facts.publicOrigins, ...local.map((name) => `http://${name}:${facts.httpPort}`)])];
  return { urls, unlisted: Math.max(0, hosts.length - MAX_INTERFACE_URLS) };
}

/** This machine's own addresses, as URL hosts: IPv4, and IPv6 but for link-local; never the loopback. */
function interfaceHosts(interfaces: NetworkInterfaces, withIpv6: boolean): string[] {
  const hosts = Object.values(interfaces).flatMap((infos) => infos ?? [])
    .filter((info) => !info.internal && (info.family === 'IPv4' || (withIpv6 && !IPV6_LINK_LOCAL.test(info.address))))
    .map((info) => displayHost(info.address));
  return [...new Set(hosts)];
}

/** Where a local client reaches a bind address, bracketed when it is IPv6 so `host:port` and URLs stay valid. */
function displayHost(bind: string): string {
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '::1' : bind;
  return host.includes(':') ? `[${host}]` : host;
}
