import { generateKeyPairSync, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { ephemail, type ApiReport } from '../../src/client/index.js';
import { mailer } from '../support/mailer.js';

/** A DKIM key pair: the private key for nodemailer's signer, the public one as its DNS record. */
export interface DkimKey {
  privateKey: string;
  /** `v=DKIM1; k=rsa; p=…`, to publish at `<selector>._domainkey.<domain>`. */
  record: string;
}

/** A fresh 2048-bit RSA key, as a sender would publish it. */
export function dkimKey(): DkimKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}

/** Who signs, with which key, and (when not nodemailer's default list) which headers. */
export interface Signer {
  domain: string;
  selector: string;
  key: DkimKey;
  headers?: string[];
}

/** The message nodemailer would send, signed by `signer` when given: the bytes a sending app's library makes. */
export async function compose(message: Mail.Options, signer?: Signer): Promise<Buffer> {
  const transport = nodemailer.createTransport({
    streamTransport: true, buffer: true,
    ...(signer === undefined ? {} : {
      dkim: {
        domainName: signer.domain, keySelector: signer.selector, privateKey: signer.key.privateKey,
        ...(signer.headers === undefined ? {} : { headerFieldNames: signer.headers.join(':') }),
      },
    }),
  });
  const info = await transport.sendMail(message);
  return info.message as Buffer;
}

/** Hands `raw` to Ephemail over real SMTP, greeting as `helo`, with the given MAIL FROM and recipient. */
export async function deliver(smtpPort: number, raw: Buffer, envelope: { helo: string; mailFrom: string; to: string }): Promise<void> {
  await mailer(smtpPort, { name: envelope.helo }).sendMail({ envelope: { from: envelope.mailFrom, to: [envelope.to] }, raw });
}

/** Delivers `raw` over SMTP to a fresh inbox of the server at `server`, and reads its report through the typed client. */
export async function reportOf(server: { smtpPort: number; httpUrl: string }, raw: Buffer, envelope: { helo: string; mailFrom: string }): Promise<ApiReport> {
  const inbox = ephemail(server.httpUrl).inbox(`report-${randomUUID()}@ephemail.test`);
  await deliver(server.smtpPort, raw, { ...envelope, to: inbox.address });
  const message = await inbox.waitForMessage({ timeout: 10_000 });
  return inbox.report(message.id);
}
