import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
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

/** The message nodemailer would send, signed by `signer` when given: the bytes a sending app's library makes. */
export async function compose(message: Mail.Options, signer?: { domain: string; selector: string; key: DkimKey }): Promise<Buffer> {
  const transport = nodemailer.createTransport({
    streamTransport: true, buffer: true,
    ...(signer === undefined ? {} : { dkim: { domainName: signer.domain, keySelector: signer.selector, privateKey: signer.key.privateKey } }),
  });
  const info = await transport.sendMail(message);
  return info.message as Buffer;
}

/** Hands `raw` to Ephemail over real SMTP, greeting as `helo`, with the given MAIL FROM and recipient. */
export async function deliver(smtpPort: number, raw: Buffer, envelope: { helo: string; mailFrom: string; to: string }): Promise<void> {
  await mailer(smtpPort, { name: envelope.helo }).sendMail({ envelope: { from: envelope.mailFrom, to: [envelope.to] }, raw });
}
