/**
 * The server under test, in a process of its own so the load generator never
 * shares its event loop. `ephemail <flags...>` starts the real app through
 * parseConfig like main.ts does; `bare` starts an smtp-server that reads
 * and discards each message: the ceiling Ephemail's intake is compared with.
 * Talks to the parent over IPC only.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { startEphemail } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/runtime/log.js';
import type { ChildReply, ChildRequest } from './ipc.js';

interface Running {
  smtpPort: number;
  httpPort: number;
  close(): Promise<void>;
}

async function startBare(): Promise<Running> {
  // The same smtp-server options that matter for speed as Ephemail's (no reverse lookup, no logger).
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => callback(null, 'Discarded'));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { smtpPort: port, httpPort: 0, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startApp(flags: string[]): Promise<Running> {
  const config = parseConfig(['--smtp-port', '0', '--http-port', '0', ...flags], {});
  // Logs go where main.ts sends them (stdout; the parent points it at /dev/null), so their cost is measured.
  const app = await startEphemail({ config, log: createLogger(config.logLevel) });
  return { smtpPort: app.smtpPort, httpPort: app.httpPort, close: () => app.close(500) };
}

async function main(): Promise<void> {
  const [kind = 'ephemail', ...flags] = process.argv.slice(2);
  const running = kind === 'bare' ? await startBare() : await startApp(flags);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const send = (reply: ChildReply) => process.send?.(reply);

  process.on('message', (request: ChildRequest) => {
    if (request.type === 'memory') {
      // A full collection first when asked, so "held" means reachable, not garbage not yet swept.
      if (request.collect) globalThis.gc?.();
      const usage = process.memoryUsage();
      send({
        type: 'memory', id: request.id, rss: usage.rss, heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external,
        arrayBuffers: usage.arrayBuffers, loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6,
      });
      delay.reset();
    } else if (request.type === 'mark') {
      const cpu = process.cpuUsage();
      send({ type: 'mark', id: request.id, monotonicUs: Number(process.hrtime.bigint() / 1000n), cpuUs: cpu.user + cpu.system });
    } else if (request.type === 'stop') {
      // Exiting through process.exit lets --cpu-prof write its profile.
      running.close().finally(() => process.exit(0));
    }
  });
  // Should the benchmark die, the server goes with it instead of holding ports.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', smtpPort: running.smtpPort, httpPort: running.httpPort, pid: process.pid });
}

await main();
