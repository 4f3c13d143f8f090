import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemail } from '../../src/client/index.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { runProgram, startProgram, type RunningProgram } from '../support/cli-process.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The command line as a script runs it: `ephemail <command>` in a child
 * process against a real server, mail delivered by nodemailer.
 */
const VERIFY_URL = 'https://app.acme.example/verify?token=Zq81xT4m';
const UNSUBSCRIBE_URL = 'https://app.acme.example/unsubscribe';
// Long enough for a child process to load the sources on a busy machine, and to wait in it.
const RUN_MS = 60_000;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function send(to: string, mail: { subject: string; text?: string; html?: string }): Promise<void> {
  const transport = mailer(server.smtpPort);
  try {
    await transport.sendMail({ from: 'Acme <no-reply@acme.example>', to, text: 'Hello', ...mail });
  } finally {
    transport.close();
  }
}

function signup(to: string): Promise<void> {
  return send(to, {
    subject: 'Confirm your Acme account',
    text: `Your confirmation code is 482913.\n\nVerify my email address: ${VERIFY_URL}\n\nUnsubscribe: ${UNSUBSCRIBE_URL}`,
  });
}

async function newAddress(): Promise<string> {
  return (await ephemail(server.httpUrl).createInbox()).address;
}

function ephemailCli(args: string[]) {
  return runProgram([...args, '--url', server.httpUrl]);
}

/** Starts `ephemail wait` and resolves once its long poll is open on the server, so mail sent next arrives after it started. */
async function waiting(address: string, args: string[]): Promise<RunningProgram> {
  const program = startProgram(['wait', address, '--url', server.httpUrl, '--timeout', '50s', ...args]);
  await expect.poll(() => server.hub.listenerCount(address), { timeout: RUN_MS }).toBe(1);
  return program;
}

describe('ephemail inbox', () => {
  it('prints a new random address and nothing else', async () => {
    const { code, stdout, stderr } = await ephemailCli(['inbox']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[a-z0-9-]{20}@ephemail\.test\n$/);
  }, RUN_MS);

  it('prints the chosen address with --name', async () => {
    expect(await ephemailCli(['inbox', '--name', 'QA.Signup'])).toEqual({ code: 0, stdout: 'qa.signup@ephemail.test\n', stderr: '' });
  }, RUN_MS);
});

describe('ephemail wait', () => {
  it('--code prints only the code of a mail sent after it started', async () => {
    const address = await newAddress();
    const program = await waiting(address, ['--code']);
    await signup(address);
    expect(await program.done).toEqual({ code: 0, stdout: '482913\n', stderr: '' });
  }, RUN_MS);

  it('--link prints only the action link, never the unsubscribe one', async () => {
    const address = await newAddress();
    const program = await waiting(address, ['--link', '--subject', 'confirm']);
    await signup(address);
    expect(await program.done).toEqual({ code: 0, stdout: `${VERIFY_URL}\n`, stderr: '' });
  }, RUN_MS);

  it('--json prints the whole message as JSON, the one the API serves', async () => {
    const address = await newAddress();
    await signup(address);
    const { code, stdout } = await ephemailCli(['wait', address, '--json']);
    expect(code).toBe(0);
    const message = JSON.parse(stdout) as { id: string };
    expect(message).toEqual(await ephemail(server.httpUrl).inbox(address).message(message.id));
  }, RUN_MS);

  it('by default prints one line of 80 columns at most: time, sender, subject and id', async () => {
    const address = await newAddress();
    await signup(address);
    const [summary] = await ephemail(server.httpUrl).inbox(address).messages();
    const { code, stdout } = await ephemailCli(['wait', address, '--from', 'acme']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^\\d\\d-\\d\\d \\d\\d:\\d\\d  no-reply@acme\\.exa…  Confirm your Acme…   ${summary?.id}\\n$`));
    expect(stdout.trimEnd().length).toBeLessThanOrEqual(80);
  }, RUN_MS);

  it('with --since waits for a message after that one', async () => {
    const address = await newAddress();
    await signup(address);
    const [first] = await ephemail(server.httpUrl).inbox(address).messages();
    const program = await waiting(address, ['--since', first?.id ?? '', '--code']);
    await send(address, { subject: 'Your new code', text: 'Your verification code is 771204.' });
    expect(await program.done).toEqual({ code: 0, stdout: '771204\n', stderr: '' });
  }, RUN_MS);

  it('exits 4 with a sentence when the message has no code', async () => {
    const address = await newAddress();
    await send(address, { subject: 'Welcome', text: 'Nice to have you here.' });
    const { code, stdout, stderr } = await ephemailCli(['wait', address, '--code']);
    expect({ code, stdout }).toEqual({ code: 4, stdout: '' });
    expect(stderr).toMatch(new RegExp(`^ephemail wait: Message \\w{26} arrived, but no verification code was found in it; see it with ephemail read ${address} \\w{26}\\.\\n$`));
  }, RUN_MS);

  it('exits 3 with one sentence when nothing arrives in time', async () => {
    const address = await newAddress();
    const { code, stdout, stderr } = await ephemailCli(['wait', address, '--subject', 'never', '--timeout', '1s']);
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toBe(`ephemail wait: No message with subject containing "never" arrived in ${address} within 1 s.\n`);
  }, RUN_MS);
});

describe('bad arguments and an unreachable server', () => {
  it.concurrent.each([
    [['wait'], 'ephemail wait: ADDRESS is missing; run ephemail wait --help.'],
    [['wait', 'a@ephemail.test', '--timeout', 'soon'], 'ephemail wait: --timeout: "soon" is not a duration; use 90s, 10m, 1h or 2d, or seconds such as 30.'],
    [['wait', 'a@ephemail.test', '--code', '--json'], 'ephemail wait: --code and --json cannot go together; choose one of --code, --link, --json.'],
    [['wait', 'a@ephemail.test', '--subject'], 'ephemail wait: --subject needs a value; run ephemail wait --help.'],
    [['wait', 'not an address'], 'ephemail wait: "not an address" is not an email address; give one such as name@ephemail.test.'],
    [['ls', 'a@ephemail.test', '--colour'], 'ephemail ls: --colour is not an option of this command; run ephemail ls --help.'],
    [['read', 'a@ephemail.test', 'id', 'extra'], 'ephemail read: "extra" is one argument too many; run ephemail read --help.'],
    [['inbox', '--url', 'localhost:8080'], 'ephemail inbox: --url: "localhost:8080" is not an http(s) URL; use the server\'s address, such as http://127.0.0.1:8080.'],
    [['send'], `ephemail: "send" is not a command; the commands are ${Object.keys(COMMANDS).join(', ')} (ephemail --help says more).`],
  ])('%j exits 2 with a sentence', async (args, sentence) => {
    expect(await runProgram(args)).toEqual({ code: 2, stdout: '', stderr: `${sentence}\n` });
  }, RUN_MS);

  it('names where a bad URL came from: EPHEMAIL_URL', async () => {
    const { code, stderr } = await runProgram(['inbox'], { env: { EPHEMAIL_URL: 'ftp://example.com' } });
    expect({ code, stderr }).toEqual({ code: 2, stderr: 'ephemail inbox: EPHEMAIL_URL: "ftp://example.com" is not an http(s) URL; use the server\'s address, such as http://127.0.0.1:8080.\n' });
  }, RUN_MS);

  it('exits 1 with a sentence naming the URL when nothing answers there', async () => {
    const closed = await startTestServer();
    const url = closed.httpUrl;
    await closed.close();
    const { code, stdout, stderr } = await runProgram(['wait', 'a@ephemail.test'], { env: { EPHEMAIL_URL: url } });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`ephemail wait: The Ephemail server at ${url} is not reachable (connect ECONNREFUSED ${url.slice('http://'.length)}); check that it is running and that the URL is right.\n`);
  }, RUN_MS);

  it('exits 2 with the server\'s sentence when it refuses an argument', async () => {
    const { code, stderr } = await ephemailCli(['ls', 'bad!name@ephemail.test']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ephemail ls: [^\n]*'!' is not\.\n$/);
  }, RUN_MS);
});

describe('ephemail ls and read', () => {
  it('ls lists the inbox newest first in 80 columns, or says it is empty', async () => {
    const address = await newAddress();
    expect(await ephemailCli(['ls', address])).toEqual({ code: 0, stdout: `No messages in ${address}.\n`, stderr: '' });
    await signup(address);
    await send(address, { subject: '確認コードのお知らせ：あなたのアカウントを確認してください', text: '確認コードは 864209 です' });
    const ids = (await ephemail(server.httpUrl).inbox(address).messages()).map((message) => message.id);
    const { code, stdout } = await ephemailCli(['ls', address]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME {9}FROM {16}SUBJECT {14}ID$/);
    expect(lines.slice(1).map((line) => line.slice(-26))).toEqual(ids);
    expect(lines[1]).toContain('確認コードのお知ら…');
    // The wide characters take two columns each, so the id still starts where the heading says.
    for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(80);
    expect(columns(lines[1] ?? '') - 26).toBe((lines[0] ?? '').length - 2);
  }, RUN_MS);

  it('read prints the headers, code and link, then the text; --text the text alone; --raw the bytes as they arrived', async () => {
    const address = await newAddress();
    await signup(address);
    const inbox = ephemail(server.httpUrl).inbox(address);
    const [summary] = await inbox.messages();
    const id = summary?.id ?? '';
    const message = await inbox.message(id);

    const read = await ephemailCli(['read', address, id]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain([
      'From:        Acme <no-reply@acme.example>',
      `To:          ${address}`,
      'Subject:     Confirm your Acme account',
      `Received:    ${message.receivedAt}`,
      `Id:          ${id}`,
      'Codes:       482913',
      `Link:        ${VERIFY_URL}`,
      '',
      message.text.trimEnd(),
    ].join('\n'));

    expect(await ephemailCli(['read', address, id, '--text'])).toEqual({ code: 0, stdout: message.text.endsWith('\n') ? message.text : `${message.text}\n`, stderr: '' });
    const raw = await ephemailCli(['read', address, id, '--raw']);
    expect(raw.stdout).toBe(new TextDecoder().decode(await inbox.raw(id)));
    expect(raw.stdout).toMatch(/^Subject: Confirm your Acme account\r$/m);

    const missing = await ephemailCli(['read', address, '0'.repeat(26)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ephemail read: [^\n]*no message with that id[^\n]*\n$/);
  }, RUN_MS);

  it('never writes a sender\'s control characters or bidi overrides to the terminal', async () => {
    const address = await newAddress();
    const hostile = 'Hello\u001b]0;pwned\u0007 there\u001b[2J, \u202Egnp.exe\u202C and\u009b2J done';
    await send(address, { subject: 'Plain subject', text: hostile });
    const inbox = ephemail(server.httpUrl).inbox(address);
    const [summary] = await inbox.messages();
    // The API hands the text over as the sender wrote it: what keeps it off the terminal is the command.
    expect((await inbox.message(summary?.id ?? '')).text).toContain('\u001b[2J');
    for (const args of [['read', address, summary?.id ?? ''], ['read', address, summary?.id ?? '', '--text']]) {
      const { code, stdout } = await ephemailCli(args);
      expect(code).toBe(0);
      expect(stdout).toContain('Hello]0;pwned there[2J, gnp.exe and2J done');
      expect(stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/u);
    }
  }, RUN_MS);

  it('never writes a control character of a sender\'s link or subject either: wait --link, ls', async () => {
    const address = await newAddress();
    await send(address, {
      subject: 'Confirm\u001b[2J your \u202Eemail',
      text: 'Confirm below.',
      html: '<p><a href="https://app.example/verify?token=a&#27;]0;pwned&#7;b">Confirm your email</a></p>',
    });
    const [message] = await ephemail(server.httpUrl).inbox(address).messages();
    expect((await ephemail(server.httpUrl).inbox(address).message(message?.id ?? '')).links.find((link) => link.action)?.url).toContain('\u001b');
    for (const args of [['wait', address, '--link'], ['ls', address]]) {
      const { code, stdout } = await ephemailCli(args);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/u);
    }
  }, RUN_MS);
});

/** Columns on a terminal, wide characters as two (those this test sends are all CJK). */
function columns(line: string): number {
  return [...line].reduce((sum, char) => sum + (/[\u3000-\u9FFF\uFF00-\uFF60]/u.test(char) ? 2 : 1), 0);
}
