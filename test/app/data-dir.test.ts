import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runProgram, startProgram, type RunningProgram } from '../support/cli-process.js';
import { useTempFolders } from '../support/data-dir.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';

const tempFolder = useTempFolders('data-dir-app');
// Loading the TypeScript sources through tsx takes a second or two, more on a busy machine.
const STARTUP_MS = 60_000;
const TEST_MS = 120_000;
const INBOXES = ['alice@ephemail.test', 'bob@ephemail.test'];

interface Server {
  program: RunningProgram;
  smtpPort: number;
  httpPort: number;
}

/** The real command with `--data-dir dir`, once its banner says where it listens. */
async function start(dir: string, flags: string[] = []): Promise<Server> {
  const program = startProgram(['--smtp-port', '0', '--http-port', '0', '--parse-workers', '1', '--log-level', 'warn', '--data-dir', dir, ...flags]);
  const banner = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)\n/;
  const exited = program.done.then((run) => { throw new Error(`exited with ${run.code} before listening:\n${run.stdout}\n${run.stderr}`); });
  const listening = expect.poll(() => banner.exec(program.stdout()), { timeout: STARTUP_MS, interval: 50 }).not.toBeNull();
  await Promise.race([listening, exited]);
  const [, smtpPort, httpPort] = banner.exec(program.stdout()) ?? [];
  return { program, smtpPort: Number(smtpPort), httpPort: Number(httpPort) };
}

async function stop(server: Server, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  server.program.kill(signal);
  return server.program.done;
}

/** Two messages over SMTP: one to both inboxes (a +tag on one), one to alice alone. */
async function deliver(server: Server): Promise<void> {
  const transport = mailer(server.smtpPort);
  await transport.sendMail({ from: 'app@example.com', to: ['alice@ephemail.test', 'bob+news@ephemail.test'], subject: 'For two', text: 'code 482913' });
  await transport.sendMail({ from: 'app@example.com', to: 'alice@ephemail.test', subject: 'For one', text: 'hello' });
}

async function json(server: Server, path: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${server.httpPort}${path}`);
  expect(response.status, path).toBe(200);
  return response.json();
}

/** Everything the API says of the inboxes: listings, each message's envelope and raw bytes. */
async function everything(server: Server): Promise<unknown> {
  const inboxes: Record<string, unknown> = {};
  for (const inbox of INBOXES) {
    const base = `/api/inboxes/${encodeURIComponent(inbox)}/messages`;
    const { messages } = await json(server, base) as { messages: Array<{ id: string }> };
    inboxes[inbox] = await Promise.all(messages.map(async (summary) => {
      const { envelope } = await json(server, `${base}/${summary.id}`) as { envelope: unknown };
      const raw = await (await fetch(`http://127.0.0.1:${server.httpPort}${base}/${summary.id}/raw`)).text();
      return { summary, envelope, raw };
    }));
  }
  return inboxes;
}

describe('--data-dir across a restart of the real process', () => {
  it('keeps every message, with the same ids, envelopes and expiry, across SIGTERM', async () => {
    const dir = join(tempFolder(), 'data');
    const first = await start(dir);
    await deliver(first);
    const before = await everything(first);
    expect((before as Record<string, unknown[]>)['alice@ephemail.test']).toHaveLength(2);
    expect(await stop(first, 'SIGTERM')).toMatchObject({ code: 0, stderr: '' });

    const second = await start(dir);
    expect(await everything(second)).toEqual(before);
    expect(await metric(second.httpPort, 'ephemail_data_dir_restored_messages')).toBe(3);
    expect(await stop(second, 'SIGTERM')).toMatchObject({ code: 0, stderr: '' });
  }, TEST_MS);

  it('keeps acknowledged mail across SIGKILL after a second of quiet', async () => {
    const dir = join(tempFolder(), 'data');
    const first = await start(dir);
    await deliver(first);
    const before = await everything(first);
    // The promise is "at most about the last second": once that second's write is synced (polled, as a
    // busy machine may take longer), crash.
    await expect.poll(() => metric(first.httpPort, 'ephemail_data_dir_unwritten_changes'), { interval: 100 }).toBe(0);
    expect(await stop(first, 'SIGKILL')).toMatchObject({ code: null });

    const second = await start(dir);
    expect(await everything(second)).toEqual(before);
    await stop(second, 'SIGTERM');
  }, TEST_MS);

  it('lets mail that expired while it was stopped stay gone', async () => {
    const dir = join(tempFolder(), 'data');
    const first = await start(dir, ['--ttl', '2s']);
    await deliver(first);
    const { messages } = await json(first, '/api/inboxes/alice%40ephemail.test/messages') as { messages: Array<{ expiresAt: string }> };
    await stop(first, 'SIGTERM');
    const lastExpiry = Math.max(...messages.map((message) => Date.parse(message.expiresAt)));
    await sleep(Math.max(0, lastExpiry - Date.now() + 100));

    const second = await start(dir, ['--ttl', '1h']);
    expect(await everything(second)).toEqual({ 'alice@ephemail.test': [], 'bob@ephemail.test': [] });
    expect(await metric(second.httpPort, 'ephemail_data_dir_restored_messages')).toBe(0);
    await stop(second, 'SIGTERM');
  }, TEST_MS);
});

describe('--data-dir that cannot be used', () => {
  /** A data directory in use before, whose database is now garbage. */
  function damagedDataDir(): string {
    const dir = join(tempFolder(), 'data');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'ephemail-data.json'), '{"format":1}\n');
    writeFileSync(join(dir, 'mail.mdb'), Buffer.alloc(64 * 1024, 0x5a));
    return dir;
  }

  it.concurrent('stops start-up with one sentence naming a damaged directory, and exit code 1', async () => {
    const dir = damagedDataDir();
    const run = await runProgram(['--smtp-port', '0', '--http-port', '0', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`ephemail: cannot start: the data directory ${dir} is damaged: its mail.mdb is not an LMDB file (--data-dir-reset true moves it aside and starts empty)\n`);
  }, TEST_MS);

  it.concurrent('stops start-up with one sentence for a path nobody can write, root included: one under a file', async () => {
    const file = join(tempFolder(), 'file');
    writeFileSync(file, 'not a directory');
    const dir = join(file, 'data');
    const run = await runProgram(['--smtp-port', '0', '--http-port', '0', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`ephemail: cannot start: the data directory ${dir} cannot be made: a part of its path is a file (ENOTDIR); name a path under a directory\n`);
  }, TEST_MS);

  // Root writes through a mode of 0500, so there the directory works (and is made 0700);
  // any other user is refused with the sentence.
  it.concurrent('takes a directory at mode 0500 only as root, and otherwise says it is not writable', async () => {
    const dir = join(tempFolder(), 'data');
    mkdirSync(dir, { mode: 0o500 });
    chmodSync(dir, 0o500);
    if (process.getuid?.() === 0) {
      const server = await start(dir);
      expect(await stop(server, 'SIGTERM')).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(dir).sort()).toEqual(['ephemail-data.json', 'mail.mdb', 'mail.mdb-lock']);
      return;
    }
    const run = await runProgram(['--smtp-port', '0', '--http-port', '0', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`ephemail: cannot start: the data directory ${dir} is not writable by this user (EACCES); let the user Ephemail runs as write to it, or name another\n`);
  }, TEST_MS);

  it.concurrent('with --data-dir-reset true, moves a damaged directory aside, starts empty and takes mail', async () => {
    const dir = damagedDataDir();
    const server = await start(dir, ['--data-dir-reset', 'true']);
    await deliver(server);
    expect(await everything(server)).toMatchObject({ 'alice@ephemail.test': [{}, {}], 'bob@ephemail.test': [{}] });
    expect(await stop(server, 'SIGTERM')).toMatchObject({ code: 0 });
    const aside = readdirSync(join(dir, '..')).filter((name) => name.startsWith('data.unusable-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(dir, '..', aside[0]!, 'mail.mdb'))).toBe(true);
    expect(server.program.stdout()).toContain(`"movedTo":"${join(dir, '..', aside[0]!)}"`);
  }, TEST_MS);
});
