/**
 * `npm run soak` — Ephemail under steady, mixed load for a long time, to show
 * what a benchmark cannot: that nothing grows. Not part of CI or `npm test`.
 *
 *   npm run soak                          30 minutes at 250 msg/s
 *   npm run soak -- --minutes 3           a short run (figures in BENCHMARKS.md say which)
 *   options: --rate N (messages per second), --memory-limit SIZE (the server's, 256MB by default)
 *
 * The real program, compiled as shipped, runs in a process of its own; this
 * process drives it over SMTP, HTTP and WebSocket and samples it every 10 s
 * (RSS, open descriptors, timers, event-loop delay, the store). It prints a
 * table of the samples, the verdict and one JSON line, and exits 1 when
 * memory grew over 10% after warm-up, descriptors or timers grew, or anything
 * failed on either side (src/runtime/process-gauges.ts has the gauges).
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildServerChild } from '../bench/children.js';
import { sleep } from '../bench/stats.js';
import { driveApi } from './api-load.js';
import { driveSmtp } from './smtp-load.js';
import { startSoakServer, type SoakServer } from './soak-server.js';
import type { Tally } from './tally.js';
import { checkTable, growthChecks, noErrors, sampleTable, type Check, type Row } from './verdict.js';
import { driveWebSockets } from './ws-load.js';

const SAMPLE_EVERY_MS = 10_000;
const INBOXES = Array.from({ length: 500 }, (_, n) => `soak-${n}@ephemail.test`);
const LOAD = { smtpSessions: 16, readers: 4, waiters: 8, webSockets: 24 };

/** The server's options: the shipped defaults, but with every limit per client lifted, since all the load comes from 127.0.0.1. */
function serverFlags(memoryLimit: string): string[] {
  return [
    '--memory-limit', memoryLimit, '--memory-share', '100%',
    '--rate-limit', '1000000', '--rate-burst', '100000', '--max-waiters-per-client', '1000',
    '--ws-max-per-client', '1000', '--http-max-connections-per-client', '1000', '--smtp-max-connections-per-ip', '100',
  ];
}

function options(): { minutes: number; rate: number; memoryLimit: string } {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '250' }, 'memory-limit': { type: 'string', default: '256MB' } } });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  // Warm-up takes two minutes; a minute more gives each window a sample or two.
  if (!(minutes >= 3)) throw new Error(`--minutes must be a number of at least 3, not ${values.minutes}`);
  if (!(rate > 0 && rate <= 2_000)) throw new Error(`--rate must be a number of messages per second from 1 to 2000, not ${values.rate}`);
  return { minutes, rate, memoryLimit: values['memory-limit'] ?? '256MB' };
}

function note(text: string): void {
  process.stderr.write(`[soak ${(performance.now() / 1000).toFixed(0)}s] ${text}\n`);
}

/** Samples the server every 10 s until `durationS` has passed since `started`, or it ends by itself. */
async function watch(server: SoakServer, started: number, durationS: number, load: { sent: () => number; errors: () => number }): Promise<Row[]> {
  const rows: Row[] = [];
  let previous = { atS: 0, sent: 0, cpu: process.cpuUsage() };
  for (let next = started + SAMPLE_EVERY_MS; next <= started + durationS * 1000; next += SAMPLE_EVERY_MS) {
    await sleep(Math.max(0, next - performance.now()));
    if (server.ended() !== null) break;
    const sample = await server.sample((performance.now() - started) / 1000);
    const now = { atS: sample.atS, sent: load.sent(), cpu: process.cpuUsage() };
    const cpuUs = now.cpu.user + now.cpu.system - previous.cpu.user - previous.cpu.system;
    const row = { ...sample, sentPerS: (now.sent - previous.sent) / (now.atS - previous.atS), loadCpuPct: cpuUs / 1e4 / (now.atS - previous.atS) };
    previous = now;
    rows.push(row);
    note(`${row.sentPerS.toFixed(0)} msg/s, RSS ${row.rssMB.toFixed(0)} MB, ${row.fds} fds, ${row.timers} timers, loop p99 ${row.loopP99Ms.toFixed(1)} ms, `
      + `stored ${row.storedMB.toFixed(0)} MB, server CPU ${row.cpuPct.toFixed(0)}%, load CPU ${row.loadCpuPct.toFixed(0)}%; `
      + `${load.errors()} client errors, ${server.logged().errors} logged`);
  }
  return rows;
}

async function main(): Promise<number> {
  const { minutes, rate, memoryLimit } = options();
  const durationS = minutes * 60;
  note('compiling the server to JavaScript, as shipped (tsc -p tsconfig.bench.json)');
  buildServerChild();
  const server = await startSoakServer(serverFlags(memoryLimit));
  note(`server pid ${server.pid}: SMTP ${server.smtpPort}, HTTP ${server.httpPort}; ${minutes} min at ${rate} msg/s`);

  const started = performance.now();
  const smtp = driveSmtp({ port: server.smtpPort, rate, sessions: LOAD.smtpSessions, inboxes: INBOXES });
  const api = driveApi({ httpPort: server.httpPort, readers: LOAD.readers, waiters: LOAD.waiters, inboxes: INBOXES });
  const ws = driveWebSockets({ httpPort: server.httpPort, clients: LOAD.webSockets, inboxes: INBOXES });
  const rows = await watch(server, started, durationS, {
    sent: () => smtp.read().done,
    errors: () => smtp.read().errors + api.readers().errors + api.waiters().errors + ws.read().errors,
  });
  const elapsedS = (performance.now() - started) / 1000;
  await Promise.all([smtp.stop(), api.stop(), ws.stop()]);
  const crash = server.ended();
  const exitCode = await server.stop();

  const sent = smtp.read();
  const clients: Record<string, Tally> = { smtp: sent, readers: api.readers(), waiters: api.waiters(), webSockets: ws.read() };
  const logged = server.logged();
  const checks: Check[] = [
    ...growthChecks(rows, durationS),
    ...Object.entries(clients).map(([name, tally]) => noErrors(`${name}: errors (of ${tally.done + tally.errors})`, tally.errors)),
    noErrors('server: error and fatal log lines', logged.errors),
    noErrors(`server: ${crash ?? `exit code on SIGTERM ${exitCode}`}`, crash === null && exitCode === 0 ? 0 : 1),
  ];
  const achievedRate = sent.done / elapsedS;
  const failed = checks.filter((check) => !check.pass).map((check) => check.what);

  process.stdout.write(`\nEphemail soak: ${minutes} min, ${rate} msg/s asked, ${achievedRate.toFixed(0)} msg/s sent, --memory-limit ${memoryLimit}; `
    + `${availableParallelism()} CPUs, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at the end\n\n`);
  process.stdout.write(`${sampleTable(rows)}\n\n${checkTable(checks)}\n\n`);
  for (const [name, tally] of Object.entries(clients)) {
    for (const error of tally.firstErrors) process.stdout.write(`${name} error: ${error}\n`);
  }
  for (const line of logged.firstLines) process.stdout.write(`server log: ${line}\n`);
  process.stdout.write(`${JSON.stringify({
    soak: 'ephemail', minutes, rate, achievedRate, memoryLimit, load: LOAD, elapsedS, clients, logged, exitCode, crash, checks, failed, samples: rows,
  })}\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
