import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startEphemail, type Ephemail } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { mailer } from '../support/mailer.js';

/**
 * Hostile SMTP clients on real sockets. Every address in 127.0.0.0/8 is this
 * machine on Linux, so `localAddress` makes a client look like another host.
 * Every helper bounds its loops and timers, and every socket it opens is
 * returned to the caller (or destroyed) so tests can clean up.
 */

/** One raw client: everything received so far, and when the server hung up. */
export interface RawClient {
  socket: Socket;
  /** Everything the server sent, as latin1. */
  received(): string;
  /** Resolves to the first complete reply line (the greeting or a refusal). */
  firstLine: Promise<string>;
  /** Resolves to performance.now() when the socket closed. */
  closedAt: Promise<number>;
  openedAt: number;
}

/**
 * Connects from `localAddress` to 127.0.0.1:`port`; resolves once connected (not greeted).
 * `allowHalfOpen` makes a client that never closes its side after the server hung up.
 */
export function rawClient(port: number, localAddress = '127.0.0.1', { allowHalfOpen = false } = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const openedAt = performance.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress, allowHalfOpen });
    let text = '';
    let resolveLine: (line: string) => void = () => undefined;
    const firstLine = new Promise<string>((done) => { resolveLine = done; });
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(performance.now())));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end >= 0) resolveLine(text.slice(0, end));
    });
    // A reset after the server hung up is fine; the tests look at what arrived.
    socket.on('error', () => undefined);
    socket.once('close', () => resolveLine(text));
    socket.once('connect', () => resolve({ socket, received: () => text, firstLine, closedAt, openedAt }));
    socket.once('error', reject);
  });
}

/** `count` clients spread over `addresses`, `perAddress` each, at most `parallel` connecting at once; each has been greeted. */
export async function openMany(port: number, count: number, addresses: string[], perAddress: number, parallel = 200): Promise<RawClient[]> {
  if (addresses.length * perAddress < count) throw new Error(`${addresses.length} addresses × ${perAddress} cannot hold ${count} clients`);
  const clients: RawClient[] = [];
  try {
    for (let start = 0; start < count; start += parallel) {
      const batch = Array.from({ length: Math.min(parallel, count - start) }, async (_, i) => {
        const client = await rawClient(port, addresses[Math.floor((start + i) / perAddress)]);
        clients.push(client);
        return client.firstLine;
      });
      const lines = await Promise.all(batch);
      const refused = lines.find((line) => !line.startsWith('220 '));
      if (refused !== undefined) throw new Error(`an idle client was not greeted: ${JSON.stringify(refused)}`);
    }
  } catch (error) {
    await destroyAll(clients);
    throw error;
  }
  return clients;
}

/** 127.0.0.<first> … 127.0.0.<first+count-1>. */
export function loopbackAddresses(first: number, count: number): string[] {
  if (first < 2 || first + count > 255) throw new Error('stay within 127.0.0.2-127.0.0.254');
  return Array.from({ length: count }, (_, i) => `127.0.0.${first + i}`);
}

/** Writes `text` one byte every `intervalMs` until it is all out or the socket closes; returns a stopper. */
export function trickle(socket: Socket, text: string, intervalMs = 1_000): () => void {
  let next = 0;
  const timer = setInterval(() => {
    if (next >= text.length || socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(text[next++] ?? '');
  }, intervalMs);
  socket.once('close', () => clearInterval(timer));
  return () => clearInterval(timer);
}

/** Sends one message with nodemailer (a well-behaved client) and returns how long it took, in ms. */
export async function timedDelivery(port: number, to: string, subject: string): Promise<number> {
  const started = performance.now();
  const info = await mailer(port).sendMail({ from: 'good@example.com', to, subject, text: 'delivered while under attack' });
  if (!info.response.startsWith('250')) throw new Error(`not accepted: ${info.response}`);
  return performance.now() - started;
}

/** Waits until what `client` received matches `pattern`, for up to `ms`. */
export async function waitFor(client: RawClient, pattern: RegExp, ms = 15_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!pattern.test(client.received())) {
    if (performance.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; got ${JSON.stringify(client.received())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An Ephemail on free ports whose log lines are kept as parsed JSON. */
export interface LoggedServer extends Ephemail {
  logs: Array<Record<string, unknown>>;
}

/** Starts Ephemail like test/support/test-server.ts does, but keeps its log lines. */
export async function startLoggedServer(flags: string[]): Promise<LoggedServer> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = parseConfig(['--smtp-port', '0', '--http-port', '0', '--parse-workers', '1', ...flags], {});
  const app = await startEphemail({ config, log: pino({ level: 'info' }, sink) });
  return Object.assign(app, { logs });
}

/** The log lines of one refusal reason. */
export function refusalLogs(server: LoggedServer, reason: string): Array<Record<string, unknown>> {
  return server.logs.filter((line) => (line.event === 'refused' || line.event === 'rejected') && line.reason === reason);
}

/** Destroys every client and waits until each socket closed. */
export async function destroyAll(clients: RawClient[]): Promise<void> {
  for (const client of clients) client.socket.destroy();
  await Promise.all(clients.map((client) => client.closedAt));
}
