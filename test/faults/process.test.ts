import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { openDialog } from '../support/smtp-dialog.js';

/**
 * The real process (as test/app/main.test.ts spawns it) against connections
 * that break every rule: reset in the middle of DATA, garbage where a TLS
 * handshake belongs, binary noise as commands, and the same on the HTTP
 * port. It must log and carry on: still up, still taking and serving mail,
 * and never reaching its last-resort fault handler, which would end the
 * process (src/runtime/shutdown.ts).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Loading the TypeScript sources through tsx takes seconds on a busy machine.
const STARTUP_MS = 60_000;
let child: ChildProcess | null = null;

afterAll(() => { child?.kill('SIGKILL'); });

function start(): Promise<{ smtpPort: number; httpPort: number; output: () => string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let output = '';
  const collect = (chunk: string) => { output += chunk; };
  started.stdout?.setEncoding('utf8').on('data', collect);
  started.stderr?.setEncoding('utf8').on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), STARTUP_MS);
    started.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
    started.stdout?.on('data', () => {
      const match = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ smtpPort: Number(match[1]), httpPort: Number(match[2]), output: () => output });
    });
  });
}

/** Connects, writes `data`, then hangs up: with a reset (RST) when `reset`, else once the server answered or hung up. */
function misbehave(port: number, data: Buffer | string, reset = false): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(data, () => {
        if (reset) socket.resetAndDestroy();
        else socket.once('data', () => socket.destroy());
      });
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

const NOISE = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));

describe('the ephemail process under misbehaving connections', () => {
  it('keeps serving after resets, broken TLS and noise on both ports', async () => {
    const { smtpPort, httpPort, output } = await start();

    // Reset in the middle of DATA.
    const dialog = await openDialog(smtpPort);
    for (const line of ['EHLO reset.test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<reset@ephemail.test>']) await dialog.command(line);
    expect((await dialog.command('DATA')).code).toBe(354);
    await dialog.write(`Subject: cut\r\n\r\n${'half a message '.repeat(5_000)}`);
    dialog.socket.resetAndDestroy();

    // STARTTLS accepted, then garbage instead of a ClientHello; then a reset mid-handshake.
    for (const reset of [false, true]) {
      const tls = await openDialog(smtpPort);
      await tls.command('EHLO tls.test');
      expect((await tls.command('STARTTLS')).code).toBe(220);
      await tls.write(reset ? Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) : NOISE);
      if (reset) tls.socket.resetAndDestroy();
      // Garbage is no handshake: the server gives up on it and hangs up.
      else await tls.closed;
    }

    // Noise as commands (answered, or hung up on), NUL bytes, and noise or a reset on the HTTP port, WebSocket upgrade included.
    const noisy = await openDialog(smtpPort);
    await noisy.write(NOISE);
    await Promise.race([noisy.read().catch(() => undefined), noisy.closed]);
    noisy.close();
    await misbehave(smtpPort, 'EHLO \0\0\0\r\nMAIL FROM:<\0>\r\n', true);
    await misbehave(httpPort, NOISE);
    await misbehave(httpPort, 'GET /api/inboxes/x@ephemail.test/events HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\xff', true);
    await misbehave(httpPort, 'POST /api/inboxes HTTP/1.1\r\nContent-Length: 100000\r\n\r\n{"localPart":', true);

    expect(child?.exitCode).toBeNull();
    const to = 'survivor@ephemail.test';
    const info = await mailer(smtpPort).sendMail({ from: 'app@example.com', to, subject: 'still here', text: 'hello' });
    expect(info.accepted).toEqual([to]);
    const listed = await (await fetch(`http://127.0.0.1:${httpPort}/api/inboxes/${to}/messages`)).json() as { messages: Array<{ subject: string }> };
    expect(listed.messages.map((message) => message.subject)).toEqual(['still here']);
    expect(output()).not.toContain('"event":"fault"');
  }, 120_000);
});
