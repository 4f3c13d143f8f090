import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, type TlsPair } from '../../src/smtp/tls.js';
import { mailer } from '../support/mailer.js';
import { openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** STARTTLS over a raw dialog; returns the certificate the server presented. */
async function peerCertificate(port: number): Promise<PeerCertificate> {
  const dialog = await openDialog(port);
  try {
    await dialog.command('EHLO client.test');
    expect((await dialog.command('STARTTLS')).code).toBe(220);
    dialog.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: dialog.socket, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    const certificate = secure.getPeerCertificate();
    secure.destroy();
    return certificate;
  } finally {
    dialog.close();
  }
}

function message(to: string, subject: string) {
  return { from: 'app@example.com', to, subject, text: `body of ${subject}` };
}

describe('SMTP transport with the self-signed certificate', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(['--max-message-size', '3MB']); });
  afterAll(() => server.close());

  it('greets and advertises every extension in EHLO', async () => {
    const dialog = await openDialog(server.smtpPort);
    try {
      expect(dialog.greeting.text).toMatch(/^220 \S+ ESMTP Ephemail/);
      const ehlo = await dialog.command('EHLO client.test');
      expect(ehlo.code).toBe(250);
      const features = ehlo.lines.slice(1).map((line) => line.slice(4));
      expect(features).toEqual(expect.arrayContaining([
        `SIZE ${3 * 1024 * 1024}`, '8BITMIME', 'SMTPUTF8', 'PIPELINING', 'ENHANCEDSTATUSCODES', 'AUTH PLAIN LOGIN', 'STARTTLS',
      ]));
    } finally {
      dialog.close();
    }
  });

  it('delivers from nodemailer without authentication', async () => {
    const info = await mailer(server.smtpPort).sendMail(message('plain@ephemail.test', 'no auth'));
    expect(info.accepted).toEqual(['plain@ephemail.test']);
    expect((await server.summaries.list('plain@ephemail.test')).map((m) => m.subject)).toEqual(['no auth']);
  });

  it.each(['PLAIN', 'LOGIN'])('accepts AUTH %s with any credentials and delivers', async (method) => {
    const transport = mailer(server.smtpPort, { auth: { user: `whoever-${method}`, pass: 'wrong password' }, authMethod: method });
    const to = `auth-${method.toLowerCase()}@ephemail.test`;
    await transport.sendMail(message(to, `auth ${method}`));
    expect((await server.summaries.list(to)).map((m) => m.subject)).toEqual([`auth ${method}`]);
  });

  it('delivers over STARTTLS when the client requires it', async () => {
    const transport = mailer(server.smtpPort, {
      ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'u', pass: 'p' },
    });
    await transport.sendMail(message('secure@ephemail.test', 'over tls'));
    expect((await server.summaries.list('secure@ephemail.test')).map((m) => m.subject)).toEqual(['over tls']);
  });

  it('presents a self-signed certificate when none is configured', async () => {
    const certificate = await peerCertificate(server.smtpPort);
    expect(certificate.subject.CN).toBeTruthy();
    expect(certificate.issuer.CN).toBe(certificate.subject.CN);
  });
});

describe('SMTP transport with --tls-cert and --tls-key', () => {
  let dir = '';
  let pair: TlsPair;
  let server: TestServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ephemail-tls-'));
    pair = await selfSignedCertificate('mx.custom-cert.test');
    writeFileSync(join(dir, 'cert.pem'), pair.cert);
    writeFileSync(join(dir, 'key.pem'), pair.key);
    server = await startTestServer(['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('presents the configured certificate', async () => {
    const certificate = await peerCertificate(server.smtpPort);
    expect(certificate.subject.CN).toBe('mx.custom-cert.test');
    expect(certificate.fingerprint256).toBe(new X509Certificate(pair.cert).fingerprint256);
  });

  it('delivers from nodemailer that trusts only that certificate', async () => {
    const transport = mailer(server.smtpPort, {
      ignoreTLS: false, requireTLS: true,
      tls: { ca: [pair.cert], checkServerIdentity: (_host, cert) => (cert.subject.CN === 'mx.custom-cert.test' ? undefined : new Error(`unexpected ${cert.subject.CN}`)) },
    });
    await transport.sendMail(message('trusted@ephemail.test', 'verified tls'));
    expect((await server.summaries.list('trusted@ephemail.test')).map((m) => m.subject)).toEqual(['verified tls']);
  });
});
