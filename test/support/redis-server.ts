import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real redis-server run by a test, on a free port, with its files in a temporary directory. */
export interface RedisServer {
  url: string;
  port: number;
  /** Kills it at once (SIGKILL), as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** Stops it gracefully (SIGTERM), as a deploy or an upgrade would; with persistence it writes its append-only file first. */
  terminate(): Promise<void>;
  /** Starts it again on the same port and directory; with persistence it reloads its append-only file. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Options of a test Redis. */
export interface RedisServerOptions {
  /**
   * Keeps an append-only file, fsynced on every write (`always`: nothing
   * acknowledged is lost to a kill) or once a second (`everysec`, as
   * docs/deployment.md advises); none without it.
   */
  appendfsync?: 'always' | 'everysec';
}

const START_TIMEOUT_MS = 10_000;

/** True when redis-server can be run here. */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether Redis tests should be skipped: only when redis-server is missing
 * and this is not CI. On CI (which installs redis-server) a missing server
 * makes the tests fail instead of passing silently.
 */
export function skipRedisTests(): boolean {
  return !redisServerAvailable() && !process.env.CI;
}

/** Starts `redis-server --port <free port> --save '' --dir <tmpdir>` and waits until it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ephemail-redis-'));
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir,
    ...(options.appendfsync === undefined ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', options.appendfsync]),
  ];
  let child = await launch(args);
  const stopped = (server: ChildProcess) => new Promise<void>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) resolve();
    else server.once('exit', () => resolve());
  });

  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    async kill() {
      child.kill('SIGKILL');
      await stopped(child);
    },
    async terminate() {
      child.kill('SIGTERM');
      await stopped(child);
    },
    async restart() {
      await stopped(child);
      child = await launch(args);
    },
    async stop() {
      child.kill('SIGTERM');
      await stopped(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function launch(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        // Keep draining, or a chatty server would block on a full pipe.
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

/** A port free on 127.0.0.1 a moment ago: bound to port 0, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
