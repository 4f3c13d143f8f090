import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, expect } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { createSystemClock } from '../../src/runtime/clock.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createSmtpIntake, type Deliver } from '../../src/smtp/server.js';
import { selfSignedCertificate } from '../../src/smtp/tls.js';
import { metric } from '../support/scrape.js';
import { destroyAll, rawClient, refusalLogs, startLoggedServer, timedDelivery, type LoggedServer, type RawClient } from './clients.js';

/** The counter of refused SMTP connections, by reason. */
export const REFUSED = 'ephemail_smtp_connections_refused_total';
/** The gauge of open SMTP connections. */
export const OPEN = 'ephemail_smtp_connections_open';

/** Just the SMTP intake, with a `deliver` the test controls, and its log lines. */
export async function startIntake(flags: string[], deliver: Deliver): Promise<{ port: number; logs: Array<Record<string, unknown>>; close(): Promise<void> }> {
  const config = parseConfig(['--smtp-port', '0', ...flags], {});
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } });
  const intake = createSmtpIntake({
    config: config.smtp, domains: config.domains, tls: await selfSignedCertificate('localhost'), deliver, shareOf: async () => null,
    log: pino({ level: 'info' }, sink), metrics: createMetrics(async () => ({ messages: 0, bytes: 0 })), clock: createSystemClock(),
  });
  const port = await intake.listen();
  return { port, logs, close: () => intake.close(0) };
}

/** Polls /metrics until `sample` reads `value` (onClose runs a tick after the socket closed). */
export async function metricBecomes(port: number, sample: string, value: number): Promise<void> {
  await expect.poll(() => metric(port, sample), { message: sample }).toBe(value);
}

/** The refusal was counted once and logged once. */
export async function countedOnce(app: LoggedServer, reason: string, counter = REFUSED): Promise<void> {
  expect(await metric(app.httpPort, `${counter}{reason="${reason}"}`), reason).toBe(1);
  expect(refusalLogs(app, reason), reason).toHaveLength(1);
}

/**
 * One server and its raw clients per test, closed after each: call at the
 * top of a test file.
 */
export function useHostileServer() {
  let server: LoggedServer | null = null;
  let clients: RawClient[] = [];
  afterEach(async () => {
    await destroyAll(clients);
    clients = [];
    await server?.close(0);
    server = null;
  });
  return {
    /**
     * A server for one test. `warm` sends one untimed message first: the parse
     * worker starts on the first message, which on a loaded machine takes
     * seconds, and that is start-up, not the attack being measured.
     */
    async start(flags: string[] = [], { warm = false } = {}): Promise<LoggedServer> {
      server = await startLoggedServer(flags);
      if (warm) await timedDelivery(server.smtpPort, 'warm-up@ephemail.test', 'warm-up');
      return server;
    },
    /** Closes these clients after the test too. */
    hold(...opened: RawClient[]): void {
      clients.push(...opened);
    },
    async client(port: number, localAddress?: string, options?: { allowHalfOpen?: boolean }): Promise<RawClient> {
      const opened = await rawClient(port, localAddress, options);
      clients.push(opened);
      return opened;
    },
  };
}
