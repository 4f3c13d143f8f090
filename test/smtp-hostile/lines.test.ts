import { describe, expect, it } from 'vitest';
import { metric } from '../support/scrape.js';
import { refusalLogs, waitFor } from './clients.js';
import { countedOnce, REFUSED, useHostileServer } from './hostile-setup.js';

/** Over-long command and message lines, and clients that send bad commands, against a real server on 127.0.0.1. */

const { start, client } = useHostileServer();

describe('over-long lines', () => {
  it('hangs up on a command line over --smtp-max-command-length, with or without its CRLF', async () => {
    const app = await start();
    const sentence = '421 4.5.0 A command line was longer than 12KB, the most this server reads; closing the connection.';
    const fits = await client(app.smtpPort);
    await fits.firstLine;
    fits.socket.write(`NOOP ${'x'.repeat(12 * 1024 - 5)}\r\n`);
    await waitFor(fits, /\r\n250 /);

    const long = await client(app.smtpPort);
    await long.firstLine;
    long.socket.write(`NOOP ${'x'.repeat(12 * 1024)}\r\n`);
    await long.closedAt;
    expect(long.received().trimEnd().split('\r\n').at(-1)).toBe(sentence);

    // No line break at all: the buffered partial line is what is bounded.
    const endless = await client(app.smtpPort);
    await endless.firstLine;
    for (let i = 0; i < 4; i++) endless.socket.write('y'.repeat(4 * 1024));
    await endless.closedAt;
    expect(endless.received().trimEnd().split('\r\n').at(-1)).toBe(sentence);
    expect(await metric(app.httpPort, `${REFUSED}{reason="command_too_long"}`)).toBe(2);
    expect(refusalLogs(app, 'command_too_long')).toHaveLength(2);
  });

  it('refuses a message with a line over --smtp-max-line-length with 500, and the session goes on', async () => {
    const app = await start(['--smtp-max-line-length', '2000']);
    const sender = await client(app.smtpPort);
    await sender.firstLine;
    const envelope = (to: string) => `MAIL FROM:<a@example.com>\r\nRCPT TO:<${to}>\r\nDATA\r\n`;
    sender.socket.write(`EHLO lines.example\r\n${envelope('fits@ephemail.test')}`);
    await waitFor(sender, /\r\n354 /);
    // Exactly at the limit: accepted.
    sender.socket.write(`Subject: fits\r\n\r\n${'a'.repeat(2000)}\r\n.\r\n`);
    await waitFor(sender, /\r\n250 2\.6\.0 [^\r]*\r\n$/);
    // Over it, written in small pieces so the line spans many chunks: refused, nothing kept.
    sender.socket.write(envelope('long@ephemail.test'));
    await waitFor(sender, /\r\n354 [^\r]*\r\n$/);
    sender.socket.write('Subject: long\r\n\r\n');
    for (let i = 0; i < 8; i++) sender.socket.write('b'.repeat(251));
    sender.socket.write('\r\n.\r\n');
    await waitFor(sender, /\r\n500 [^\r]*\r\n$/);
    // The next message in the same session goes through.
    sender.socket.write(`${envelope('after@ephemail.test')}Subject: after\r\n\r\nshort\r\n.\r\n`);
    await waitFor(sender, /\r\n500 [^]*\r\n250 2\.6\.0 [^\r]*\r\n$/);
    const lines = sender.received().split('\r\n');
    expect(lines).toContain('500 5.6.0 A line of the message is longer than 2000 bytes, the most this server takes (RFC 5321 allows 1000 bytes); wrap long lines, e.g. with quoted-printable or base64.');
    expect((await app.summaries.list('fits@ephemail.test')).map((m) => m.subject)).toEqual(['fits']);
    expect(await app.summaries.list('long@ephemail.test')).toEqual([]);
    expect((await app.summaries.list('after@ephemail.test')).map((m) => m.subject)).toEqual(['after']);
    await countedOnce(app, 'line_too_long', 'ephemail_messages_rejected_total');
  });
});

describe('--smtp-max-bad-commands', () => {
  it('answers the last refused command with 421 and hangs up', async () => {
    const app = await start(['--domains', 'ephemail.test', '--smtp-max-bad-commands', '3']);
    const prober = await client(app.smtpPort);
    await prober.firstLine;
    prober.socket.write('EHLO probe.example\r\nMAIL FROM:<p@example.com>\r\nRCPT TO:<a@other.example>\r\nRCPT TO:<b@other.example>\r\nRCPT TO:<c@other.example>\r\nNOOP\r\n');
    await prober.closedAt;
    const lines = prober.received().trimEnd().split('\r\n');
    expect(lines.filter((line) => line.startsWith('550 5.1.2 '))).toHaveLength(2);
    expect(lines.at(-1)).toBe('421 4.7.0 3 commands in this session were refused, the most this server allows; closing the connection.');
    await countedOnce(app, 'too_many_bad_commands');
  });

  it('starts counting again after each delivered message', async () => {
    const app = await start(['--domains', 'ephemail.test', '--smtp-max-bad-commands', '3']);
    const sender = await client(app.smtpPort);
    await sender.firstLine;
    const twoBad = 'MAIL FROM:<p@example.com>\r\nRCPT TO:<a@other.example>\r\nRCPT TO:<b@other.example>\r\n';
    sender.socket.write(`EHLO ok.example\r\n${twoBad}RCPT TO:<ok@ephemail.test>\r\nDATA\r\n`);
    await waitFor(sender, /\r\n354 /);
    sender.socket.write('Subject: one\r\n\r\nx\r\n.\r\n');
    await waitFor(sender, /\r\n250 2\.6\.0 /);
    sender.socket.write(`${twoBad}NOOP\r\n`);
    await waitFor(sender, /250 2\.6\.0 [^]*\r\n250 2\.0\.0 OK\r\n$/);
    expect(sender.socket.destroyed).toBe(false);
    expect(await metric(app.httpPort, `${REFUSED}{reason="too_many_bad_commands"}`)).toBe(0);
  });

  it('relabels smtp-server\'s own cap of 10 unrecognised commands', async () => {
    const app = await start();
    const prober = await client(app.smtpPort);
    await prober.firstLine;
    prober.socket.write('FOO\r\n'.repeat(10));
    await prober.closedAt;
    const lines = prober.received().trimEnd().split('\r\n');
    expect(lines.filter((line) => line.startsWith('500 '))).toHaveLength(9);
    expect(lines.at(-1)).toBe('421 4.7.0 10 commands in this session were refused, the most this server allows; closing the connection.');
    await countedOnce(app, 'too_many_bad_commands');
  });
});
