import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { optionsHelp } from '../../src/cli/help.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();
// Loading the TypeScript sources through tsx takes a second or two, more on a busy machine.
const STARTUP_MS = 60_000;
const TEST_MS = 90_000;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx src/main.ts ...args` with no EPHEMAIL_* variables from the outside. */
function run(args: string[]): Run {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Resolves with stdout once it matches `pattern`; fails if the process exits first. */
function waitFor(process: Run, pattern: RegExp, limitMs = STARTUP_MS): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(process.stdout());
      if (match === null) return;
      cleanup();
      resolve(match);
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no ${pattern} in:\n${process.stdout()}\n${process.stderr()}`)); }, limitMs);
    const onExit = () => { cleanup(); reject(new Error(`exited before ${pattern}:\n${process.stdout()}\n${process.stderr()}`)); };
    const cleanup = () => { clearTimeout(timer); process.child.stdout?.off('data', check); process.child.off('exit', onExit); };
    process.child.stdout?.on('data', check);
    process.child.once('exit', onExit);
    check();
  });
}

/** The process's exit, or a failure showing its output if it takes longer than `ms`. */
function exitWithin(process: Run, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${process.stdout()}\n${process.stderr()}`)), ms);
  });
  return Promise.race([process.exit, late]).finally(() => clearTimeout(timer));
}

/**
 * A server whose stdout reader left after the banner, as `| head` does. At
 * the default log level, so stopping writes a line into the broken pipe.
 */
async function startWithoutReader(): Promise<Run> {
  const server = run(['--smtp-port', '0', '--http-port', '0', '--parse-workers', '1']);
  await waitFor(server, /Then: .*\n/);
  const stdout = server.child.stdout!;
  stdout.destroy();
  await once(stdout, 'close');
  return server;
}

// Whether this machine can listen on ::1 at all; without it the IPv6 banner cannot be checked.
const ipv6 = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('the ephemail command', () => {
  it('prints the banner without a generated address, takes mail, and exits 0 on SIGTERM', async () => {
    const server = run(['--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1']);
    const [, smtpHost, smtpPort, httpUrl, pageUrl, example] = await waitFor(
      server,
      /SMTP {2}(127\.0\.0\.1):(\d+)\n {2}HTTP {2}(http:\/\/127\.0\.0\.1:\d+)\n {2}Open (\S+) for an address of your own.*\n {2}Try: {2}swaks --to (\S+@ephemail\.test) --server 127\.0\.0\.1:\d+\n {2}Then: .*\n/,
    );
    expect(server.stdout()).toMatch(/^Ephemail is running\.\n/);
    expect(pageUrl).toBe(httpUrl);
    // A generated address is the key to its inbox, and stdout ends up in logs: the example is a public name.
    expect(example).toBe('example@ephemail.test');
    expect(server.stdout()).not.toMatch(/[a-z2-9]{6}-[a-z2-9]{6}-[a-z2-9]{6}@/);

    const info = await mailer(Number(smtpPort), { host: smtpHost }).sendMail({ from: 'app@example.com', to: example, subject: 'Hello CLI', text: 'hi' });
    expect(info.accepted).toEqual([example]);
    const httpPort = Number(new URL(httpUrl ?? '').port);
    expect(await metric(httpPort, 'ephemail_messages_received_total')).toBe(1);
    expect(await metric(httpPort, 'ephemail_stored_messages')).toBe(1);

    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 8_000)).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
  }, TEST_MS);

  it.concurrent('exits 0 on SIGTERM after the reader of its stdout has gone, as `| head` does', async () => {
    const server = await startWithoutReader();
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 8_000)).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe('');
  }, TEST_MS);

  it.skipIf(!ipv6).concurrent('brackets an IPv6 bind address in the banner', async () => {
    const server = run(['--host', '::', '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1']);
    const [, smtpPort, httpPort] = await waitFor(server, /SMTP {2}\[::1\]:(\d+)\n {2}HTTP {2}http:\/\/\[::1\]:(\d+)\n {2}Open .*\n(?: {8}.*\n)* {2}Try: .* --server \[::1\]:\d+\n {2}Then: curl http:\/\/\[::1\]:\d+\//);
    expect((await fetch(`http://[::1]:${httpPort}/healthz`)).status).toBe(200);
    expect(Number(smtpPort)).toBeGreaterThan(0);
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 8_000)).toEqual({ code: 0, signal: null });
  }, TEST_MS);

  it.concurrent('on 0.0.0.0, names pages a person can open: localhost and this machine\'s own address', async () => {
    const server = run(['--host', '0.0.0.0', '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1']);
    const [, port] = await waitFor(server, /HTTP {2}http:\/\/127\.0\.0\.1:(\d+)\n[^]*Then: .*\n/);
    const banner = server.stdout();
    expect(banner).not.toContain('0.0.0.0');
    expect(banner).toMatch(new RegExp(` http://localhost:${port}( |\n)`));
    const own = Object.values(networkInterfaces()).flat().find((info) => info !== undefined && !info.internal && info.family === 'IPv4');
    if (own !== undefined) {
      expect(banner).toContain(`\n        http://${own.address}:${port}\n`);
      // What it names answers, from the machine's own address.
      expect((await fetch(`http://${own.address}:${port}/healthz`)).status).toBe(200);
    }
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 8_000)).toEqual({ code: 0, signal: null });
  }, TEST_MS);

  it.concurrent('prints every option for --help and exits 0', async () => {
    const help = run(['--help']);
    expect(await exitWithin(help, STARTUP_MS)).toEqual({ code: 0, signal: null });
    expect(help.stdout()).toMatch(/^Usage: ephemail \[options\] +start the server\n/);
    expect(help.stdout()).toContain(`\n${optionsHelp()}\n`);
  }, TEST_MS);

  it.concurrent('exits 2 with a one-line error for a bad option', async () => {
    const bad = run(['--ttl', '1 hour']);
    expect(await exitWithin(bad, STARTUP_MS)).toEqual({ code: 2, signal: null });
    expect(bad.stderr()).toBe('ephemail: --ttl: "1 hour" is not a duration; use 90s, 10m, 1h or 2d\n');
    expect(bad.stdout()).toBe('');
  }, TEST_MS);

  it.concurrent('exits 1 with a one-line error when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = run(['--smtp-port', String(port), '--http-port', '0', '--log-level', 'silent', '--parse-workers', '1']);
      expect(await exitWithin(busy, STARTUP_MS)).toEqual({ code: 1, signal: null });
      expect(busy.stderr()).toBe(`ephemail: cannot start: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`);
    } finally {
      blocker.close();
    }
  }, TEST_MS);
});
