import { afterEach, describe, expect, it } from 'vitest';
import { metric } from '../support/scrape.js';
import { openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SHUTTING_DOWN = '421 4.3.2 This server is shutting down; please try again in a moment.';

describe('graceful shutdown', () => {
  let server: TestServer | null = null;
  afterEach(async () => { await server?.close(0); server = null; });

  it('lets a message in DATA finish and refuses newcomers with 421 meanwhile', async () => {
    server = await startTestServer();
    const app = server;
    const slow = await openDialog(app.smtpPort);
    await slow.command('EHLO slow.test');
    await slow.command('MAIL FROM:<a@example.com>');
    await slow.command('RCPT TO:<slow@ephemail.test>');
    expect((await slow.command('DATA')).code).toBe(354);
    await slow.write('Subject: slow one\r\n\r\nfirst half, ');
    // Already connected and idle: its next transaction is refused too.
    const idle = await openDialog(app.smtpPort);
    await idle.command('EHLO idle.test');

    let closed = false;
    const closing = app.close(5_000).then(() => { closed = true; });

    const late = await openDialog(app.smtpPort);
    expect(late.greeting.text).toBe(SHUTTING_DOWN);
    await late.closed;
    expect((await idle.command('MAIL FROM:<b@example.com>')).text).toBe(SHUTTING_DOWN);
    expect(await metric(app.httpPort, 'ephemail_messages_rejected_total{reason="shutting_down"}')).toBe(2);

    await slow.write('second half\r\n.\r\n');
    expect((await slow.read()).text).toBe('250 2.6.0 Message stored in one inbox');
    // Stored and visible before close resolved (the store is emptied once it does).
    expect(closed).toBe(false);
    // Read from the store alone: a parse worker may be stopping with the rest of the server already.
    const [head] = await app.store.list('slow@ephemail.test');
    expect((await app.store.get('slow@ephemail.test', head?.id ?? ''))?.raw.toString()).toBe('Subject: slow one\r\n\r\nfirst half, second half\r\n');

    // The listener is closing by now, so smtp-server answers even QUIT with 421 and hangs up.
    expect((await slow.command('QUIT')).code).toBe(421);
    await slow.closed;
    await closing;
    expect(closed).toBe(true);
    await expect(openDialog(app.smtpPort)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives up on a message that does not finish within the drain time', async () => {
    server = await startTestServer();
    const app = server;
    const stuck = await openDialog(app.smtpPort);
    await stuck.command('EHLO stuck.test');
    await stuck.command('MAIL FROM:<a@example.com>');
    await stuck.command('RCPT TO:<stuck@ephemail.test>');
    await stuck.command('DATA');
    await stuck.write('Subject: never ends\r\n\r\n');
    // The message never ends, so a drain that waited for it would never end either: the
    // server hanging up on it (after 200 ms, then smtp-server's 1 s grace) is the giving up.
    await Promise.all([app.close(200), stuck.closed]);
    expect(await app.store.list('stuck@ephemail.test')).toEqual([]);
  });
});
