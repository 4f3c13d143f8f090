import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/store/message.js';
import { createManualClock } from '../support/manual-clock.js';
import { mailer } from '../support/mailer.js';
import { dataBlock, openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The envelope of the one message `inbox` holds. */
async function envelopeIn(server: TestServer, inbox: string): Promise<Envelope> {
  const [head] = await server.store.list(inbox);
  if (head === undefined) throw new Error(`${inbox} holds no message`);
  const stored = await server.store.get(inbox, head.id);
  if (stored === undefined) throw new Error(`${inbox} lost its message`);
  return stored.envelope;
}

/**
 * One message over a raw connection from `host`, greeting with `greeting` (e.g. `HELO relay.test`);
 * `afterMailFrom` runs between MAIL FROM and RCPT TO.
 */
async function deliverRaw(server: TestServer, options: { host?: string; greeting: string; from?: string; to: string; afterMailFrom?: () => void }): Promise<void> {
  const dialog = await openDialog(server.smtpPort, options.host);
  try {
    expect((await dialog.command(options.greeting)).code).toBe(250);
    expect((await dialog.command(`MAIL FROM:<${options.from ?? 'bounce@sender.test'}>`)).code).toBe(250);
    options.afterMailFrom?.();
    expect((await dialog.command(`RCPT TO:<${options.to}>`)).code).toBe(250);
    expect((await dialog.command('DATA')).code).toBe(354);
    const stored = dialog.read();
    await dialog.write(dataBlock('Subject: raw\r\n\r\nhello\r\n'));
    expect((await stored).code).toBe(250);
  } finally {
    dialog.close();
  }
}

describe('what intake records of the SMTP session with each message', () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it('records the client IP, the EHLO name nodemailer gave (lower-cased) and no TLS for a plain session', async () => {
    server = await startTestServer();
    await mailer(server.smtpPort, { name: 'App-1.Sender.Test' }).sendMail({ from: 'app@sender.test', to: 'plain@ephemail.test', subject: 'plain', text: 'hi' });
    expect(await envelopeIn(server, 'plain@ephemail.test')).toMatchObject({
      mailFrom: 'app@sender.test',
      session: { clientIp: '127.0.0.1', helo: 'app-1.sender.test', tls: false },
    });
  });

  it('records TLS for a message nodemailer sent after STARTTLS, and shows the session in the API', async () => {
    server = await startTestServer();
    const transport = mailer(server.smtpPort, { name: 'tls.sender.test', ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    await transport.sendMail({ from: 'app@sender.test', to: 'secure@ephemail.test', subject: 'over TLS', text: 'hi' });
    const [head] = await server.store.list('secure@ephemail.test');
    const response = await fetch(`${server.httpUrl}/api/inboxes/secure@ephemail.test/messages/${String(head?.id)}`);
    const { envelope } = (await response.json()) as { envelope: { session: unknown } };
    expect(envelope.session).toEqual({ clientIp: '127.0.0.1', helo: 'tls.sender.test', tls: true, startedAt: expect.any(String) });
  });

  it('records a raw HELO name and when MAIL FROM began the transaction, not when the message arrived', async () => {
    const clock = createManualClock();
    server = await startTestServer([], { clock });
    const began = clock.now();
    await deliverRaw(server, { greeting: 'HELO [192.0.2.7]', from: '', to: 'slow@ephemail.test', afterMailFrom: () => clock.advance(5_000) });
    const [head] = await server.store.list('slow@ephemail.test');
    expect(head?.receivedAt).toBe(began + 5_000);
    expect(await envelopeIn(server, 'slow@ephemail.test')).toEqual({
      mailFrom: null,
      rcptTo: ['slow@ephemail.test'],
      session: { clientIp: '127.0.0.1', helo: '[192.0.2.7]', tls: false, startedAt: began },
    });
  });

  it('records an IPv4 client of a dual-stack port as IPv4, and an IPv6 client as IPv6', async () => {
    server = await startTestServer(['--host', '::']);
    await deliverRaw(server, { host: '127.0.0.1', greeting: 'EHLO v4.sender.test', to: 'v4@ephemail.test' });
    await deliverRaw(server, { host: '::1', greeting: 'EHLO v6.sender.test', to: 'v6@ephemail.test' });
    expect((await envelopeIn(server, 'v4@ephemail.test')).session).toMatchObject({ clientIp: '127.0.0.1', helo: 'v4.sender.test' });
    expect((await envelopeIn(server, 'v6@ephemail.test')).session).toMatchObject({ clientIp: '::1', helo: 'v6.sender.test' });
  });
});
