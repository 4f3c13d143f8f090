import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_CLOSE_MS } from '../../src/runtime/shutdown.js';
import { useTempFolders } from '../support/data-dir.js';
import { mailer } from '../support/mailer.js';
import { openDialog } from '../support/smtp-dialog.js';

/**
 * The real `ephemail` process meeting a fault it cannot place: a throw from
 * a timer, or a rejection nobody handles, made by test/faults/fault-preload.ts
 * on SIGUSR2. It logs the error with its stack, stops taking mail, closes,
 * and exits 1 within FAULT_CLOSE_MS (plus the log's last flush), so a
 * supervisor starts a clean process, which with --data-dir finds the mail
 * the faulted one took. src/runtime/shutdown.ts decides it;
 * test/runtime/shutdown.test.ts moves its clock.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Loading the TypeScript sources through tsx takes seconds on a busy machine.
const STARTUP_MS = 60_000;
const children = new Set<ChildProcess>();
const tempFolder = useTempFolders('fault-exit');

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface Faulty {
  smtpPort: number;
  httpPort: number;
  /** Makes one fault in the server, as the preload does on SIGUSR2. */
  fault(): void;
  /** The exit code, and milliseconds from the first fault to the exit. */
  exit: Promise<{ code: number | null }>;
  /** The JSON lines of its log so far. */
  logLines(): Array<Record<string, unknown>>;
}

async function startFaulty(kind: 'exception' | 'rejection', flags: string[] = []): Promise<Faulty> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
  const child = spawn(process.execPath, [
    '--import', 'tsx', '--import', './test/faults/fault-preload.ts', 'src/main.ts',
    '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1', ...flags,
  ], { cwd: ROOT, env: { ...env, FAULT_KIND: kind }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  // Exiting within FAULT_CLOSE_MS is checked with a moved clock (test/runtime/shutdown.test.ts); here, only that it exits.
  const exit = new Promise<{ code: number | null }>((resolve, reject) => {
    // Far past the bound: a process that carries on fails here with its output, not at the test's timeout.
    const timer = setTimeout(() => reject(new Error(`still running long after the fault:\n${output}`)), STARTUP_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code });
    });
  });
  const ports = await new Promise<{ smtpPort: number; httpPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), STARTUP_MS);
    void exit.then(({ code }) => reject(new Error(`exited ${code} before its banner:\n${output}`)));
    child.stdout.on('data', () => {
      const match = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ smtpPort: Number(match[1]), httpPort: Number(match[2]) });
    });
  });
  return {
    ...ports,
    fault() {
      child.kill('SIGUSR2');
    },
    exit,
    logLines: () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('the ephemail process after a fault', () => {
  it('logs an uncaught exception with its stack, refuses new mail while closing, and exits 1, a second fault during the close included', async () => {
    const server = await startFaulty('exception');
    const to = 'before@ephemail.test';
    expect((await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to, subject: 'before the fault', text: 'hello' })).accepted).toEqual([to]);
    // A message in the middle of DATA keeps the close in its drain long enough to watch it.
    const sending = await openDialog(server.smtpPort);
    for (const line of ['EHLO held.test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<held@ephemail.test>']) await sending.command(line);
    expect((await sending.command('DATA')).code).toBe(354);
    await sending.write('Subject: half\r\n\r\nnever finished');
    const newcomer = await openDialog(server.smtpPort);
    await newcomer.command('EHLO newcomer.test');

    server.fault();
    await expect.poll(() => server.logLines().some((line) => line.event === 'fault')).toBe(true);
    const refused = await newcomer.command('MAIL FROM:<b@example.com>');
    expect(refused.text).toMatch(/^421 4\.3\.2 /);
    server.fault();

    const { code } = await server.exit;
    expect(code).toBe(1);
    const faults = server.logLines().filter((line) => line.event === 'fault');
    expect(faults.map((line) => line.msg)).toEqual([
      `uncaught exception: stopping, and exiting with code 1 within ${FAULT_CLOSE_MS / 1000} s so that a supervisor starts a clean process`,
      'uncaught exception while stopping after an earlier one',
    ]);
    expect(faults.map((line) => line.level)).toEqual([60, 60]);
    const [first] = faults;
    expect(first?.err).toMatchObject({ type: 'Error', message: 'test fault 1' });
    expect((first?.err as { stack: string }).stack).toContain('fault-preload.ts');
    sending.close();
    newcomer.close();
  }, 120_000);

  it('treats an unhandled rejection the same: logged with its stack, exit 1', async () => {
    const server = await startFaulty('rejection');
    server.fault();
    const { code } = await server.exit;
    expect(code).toBe(1);
    const [fault] = server.logLines().filter((line) => line.event === 'fault');
    expect(fault).toMatchObject({ level: 60, msg: expect.stringMatching(/^unhandled rejection: stopping/), err: { message: 'test fault 1' } });
    expect((fault?.err as { stack: string }).stack).toContain('fault-preload.ts');
  }, 120_000);

  it('with --data-dir, has the mail acknowledged before the fault when it starts again', async () => {
    const dataDir = ['--data-dir', join(tempFolder(), 'data')];
    const server = await startFaulty('exception', dataDir);
    const to = 'kept@ephemail.test';
    expect((await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to, subject: 'before the fault', text: 'hello' })).accepted).toEqual([to]);
    server.fault();
    expect((await server.exit).code).toBe(1);

    // What a supervisor does next.
    const restarted = await startFaulty('exception', dataDir);
    const listed = await (await fetch(`http://127.0.0.1:${restarted.httpPort}/api/inboxes/${to}/messages`)).json() as { messages: Array<{ subject: string }> };
    expect(listed.messages.map((message) => message.subject)).toEqual(['before the fault']);
    restarted.fault();
    expect((await restarted.exit).code).toBe(1);
  }, 120_000);
});
