import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The proxy configuration compose.yaml mounts; the scale-out test runs this very file. */
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../docs/haproxy.cfg', import.meta.url));

/**
 * What the scale-out test gives every instance behind the proxy, which reaches
 * them from 127.0.0.1; test/config/scale-out-files.test.ts checks that
 * compose.yaml says the same, with its proxy's fixed address.
 */
export const BEHIND_PROXY_ENV: Readonly<Record<string, string>> = {
  EPHEMAIL_TRUST_PROXY: 'true',
  EPHEMAIL_SMTP_PROXY_PROTOCOL: '127.0.0.1',
};

// Debian installs it in /usr/sbin, which a user's PATH may leave out.
const BINARY = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';

/** True when haproxy can be run here. */
export function haproxyAvailable(): boolean {
  return spawnSync(BINARY, ['-v'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether proxy tests should be skipped: only when haproxy is missing and this
 * is not CI. On CI (.ci/run installs it) a missing haproxy fails the tests instead.
 */
export function skipHaproxyTests(): boolean {
  return !haproxyAvailable() && !process.env.CI;
}

/** A running haproxy. */
export interface Haproxy {
  /** Everything it printed (health changes among them). */
  output(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

/**
 * Runs `haproxy -db -f docs/haproxy.cfg` in the foreground with `env` (the
 * variables the file reads), and resolves once `readyPort` on 127.0.0.1 accepts connections.
 */
export async function startHaproxy(env: Record<string, string>, readyPort: number): Promise<Haproxy> {
  const child = spawn(BINARY, ['-db', '-f', HAPROXY_CONFIG], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failure: Error | null = null;
  child.once('error', (error) => { failure = error; });
  void exited.then(() => { failure ??= new Error(`haproxy exited at start:\n${output}`); });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!await accepts(readyPort)) {
    if (failure !== null) throw failure;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not listen on ${readyPort} within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
