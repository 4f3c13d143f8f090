import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { existsSync } from 'node:fs';

/**
 * Records a test publishes: TXT values by name, split into 255-byte strings
 * as DNS requires. dnsmasq reads a comma as the start of another string, so
 * a value holds none.
 */
export interface DnsZone {
  txt: Record<string, string>;
}

/** A DNS server on loopback, for `--dns-servers`. */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`. */
  address: string;
  stop(): Promise<void>;
}

const DNSMASQ = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((path) => existsSync(path)) ?? 'dnsmasq';
const START_TIMEOUT_MS = 10_000;
// A TXT record is one or more strings of at most 255 bytes each; resolvers join them.
const TXT_STRING_BYTES = 255;

/**
 * Starts Debian's dnsmasq, authoritative for `.test` and nothing else (no
 * upstream, no hosts file): names it was not given answer NXDOMAIN, names
 * without the asked type answer NODATA, as a real zone's server does.
 */
export async function startDnsServer(zone: DnsZone): Promise<TestDnsServer> {
  const port = await freeUdpPort();
  const records = Object.entries(zone.txt).map(([name, value]) => `--txt-record=${name},${splitTxt(value).join(',')}`);
  const child = spawn(DNSMASQ, [
    '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--pid-file=',
    '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${port}`, '--local=/test/', '--user=root', '--log-facility=-',
    ...records,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(address))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dnsmasq did not start on ${address}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { address, stop: () => stopChild(child) };
}

/**
 * A UDP "DNS server" that takes queries and never answers, or answers each
 * with bytes that are no DNS message: for the report's temperror path.
 */
export async function startBrokenDnsServer(kind: 'silent' | 'garbage'): Promise<TestDnsServer & { queries: () => number }> {
  const socket = createSocket('udp4');
  let queries = 0;
  socket.on('message', (message, from) => {
    queries++;
    if (kind === 'garbage') socket.send(garbageFor(message), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, queries: () => queries, stop: () => closeSocket(socket) };
}

/** The query's id and a header claiming answers, followed by noise: what c-ares must refuse as a bad response. */
function garbageFor(query: Buffer): Buffer {
  const reply = Buffer.alloc(64, 0xc0);
  query.copy(reply, 0, 0, 2);
  reply.writeUInt16BE(0x8180, 2);
  reply.writeUInt16BE(1, 4);
  reply.writeUInt16BE(3, 6);
  return reply;
}

function splitTxt(value: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start < value.length; start += TXT_STRING_BYTES) parts.push(value.slice(start, start + TXT_STRING_BYTES));
  return parts;
}

async function answers(address: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([address]);
  try {
    await resolver.resolveTxt('probe.test');
    return true;
  } catch (error) {
    // NXDOMAIN is an answer: the server is up.
    return (error as { code?: string }).code === 'ENOTFOUND';
  }
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await closeSocket(socket);
  return port;
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
