import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../bench/children.js';
import { scrapeMetrics } from '../support/scrape.js';
import { shippedNodeOptions } from '../support/shipped-command.js';

const START_TIMEOUT_MS = 30_000;
// SIGTERM drains SMTP for up to 10 s; past this the stop has failed.
const STOP_TIMEOUT_MS = 20_000;
const KEPT_LOG_LINES = 10;
// USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture Node.js runs on.
const TICKS_PER_SECOND = 100;

/** One look at the server process. */
export interface Sample {
  /** Seconds since the load started. */
  atS: number;
  rssMB: number;
  /** CPU time of all its threads since the previous sample, in per cent of one core. */
  cpuPct: number;
  /** Open file descriptors (/proc/<pid>/fd): sockets, pipes, files, of every thread. */
  fds: number;
  /** Timers keeping the event loop alive (`ephemail_active_resources{type="Timeout"}`). */
  timers: number;
  /** Every resource keeping the event loop alive, by type. */
  resources: Record<string, number>;
  loopP99Ms: number;
  loopMaxMs: number;
  storedMB: number;
  storedMessages: number;
  evicted: number;
}

/** The real `ephemail` program, compiled as shipped, running in a process of its own. */
export interface SoakServer {
  pid: number;
  smtpPort: number;
  httpPort: number;
  sample(atS: number): Promise<Sample>;
  /** Lines of its JSON log at warn, error or fatal (the first few of each), and how many there were. */
  logged(): { warnings: number; errors: number; firstLines: string[] };
  /** Why it ended by itself, or null while it runs. */
  ended(): string | null;
  /** SIGTERM, then its exit code (null if it had to be killed). */
  stop(): Promise<number | null>;
}

/**
 * Starts `node <the Dockerfile's options> .bench-build/src/main.js <flags>`
 * (call buildServerChild() first) and reads its ports from the banner, as a
 * person would; its JSON log is read as a log shipper would.
 */
export async function startSoakServer(flags: readonly string[]): Promise<SoakServer> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
  const child = spawn(process.execPath, [...shippedNodeOptions(), join(ROOT, '.bench-build/src/main.js'), '--smtp-port', '0', '--http-port', '0', ...flags],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  // Should the soak end early on an error, the server goes with it instead of holding its ports (Ctrl-C reaches both).
  process.once('exit', () => child.kill('SIGKILL'));
  const log = { warnings: 0, errors: 0, firstLines: [] as string[] };
  let banner = '';
  let pending = '';
  let ended: string | null = null;
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => {
    if (!stopping) ended = signal === null ? `the server exited with code ${code}` : `the server was killed by ${signal}`;
    resolve(code);
  }));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (banner.length < 4096) banner += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const level = /^\{"level":(\d+)/.exec(line)?.[1];
      if (level === undefined || Number(level) < 40) continue;
      if (Number(level) >= 50) log.errors += 1;
      else log.warnings += 1;
      if (log.firstLines.length < KEPT_LOG_LINES) log.firstLines.push(line.slice(0, 500));
    }
  });
  const ports = await new Promise<{ smtpPort: number; httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${START_TIMEOUT_MS} ms:\n${banner}`)), START_TIMEOUT_MS);
    void exited.then(() => reject(new Error(`${ended}:\n${banner}`)));
    child.stdout.on('data', () => {
      const match = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(banner);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ smtpPort: Number(match[1]), httpPort: Number(match[2]) });
    });
  });
  const pid = child.pid as number;
  let previousCpu = { ticks: cpuTicks(pid), atS: 0 };

  return {
    pid,
    ...ports,
    async sample(atS) {
      const metrics = await scrapeMetrics(ports.httpPort);
      const resources: Record<string, number> = {};
      for (const [name, value] of metrics) {
        const type = /^ephemail_active_resources\{type="([^"]+)"\}$/.exec(name)?.[1];
        if (type !== undefined) resources[type] = value;
      }
      const cpu = { ticks: cpuTicks(pid), atS };
      const cpuPct = ((cpu.ticks - previousCpu.ticks) / TICKS_PER_SECOND / (atS - previousCpu.atS)) * 100;
      previousCpu = cpu;
      const seconds = (quantile: string) => metrics.get(`ephemail_event_loop_delay_seconds{quantile="${quantile}"}`) ?? NaN;
      return {
        atS,
        rssMB: residentKb(pid) / 1024,
        cpuPct,
        fds: readdirSync(`/proc/${pid}/fd`).length,
        timers: resources.Timeout ?? 0,
        resources,
        loopP99Ms: seconds('0.99') * 1000,
        loopMaxMs: seconds('1') * 1000,
        storedMB: (metrics.get('ephemail_stored_bytes') ?? NaN) / 1024 / 1024,
        storedMessages: metrics.get('ephemail_stored_messages') ?? NaN,
        evicted: metrics.get('ephemail_messages_evicted_total') ?? 0,
      };
    },
    logged: () => ({ ...log, firstLines: [...log.firstLines] }),
    ended: () => ended,
    async stop() {
      if (ended !== null) return null;
      stopping = true;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((resolve) => { timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, STOP_TIMEOUT_MS); });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
  };
}

/** User and system CPU time of the process and all its threads, in clock ticks (/proc/<pid>/stat, fields 14 and 15). */
function cpuTicks(pid: number): number {
  // The command name (field 2) may hold spaces; the fields counted here come after its closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

function residentKb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? NaN : Number(kb);
}
