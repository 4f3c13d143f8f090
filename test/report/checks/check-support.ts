import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { expect } from 'vitest';
import { parseMessage, type ParsedMessage } from '../../../src/mail/parse/parse.js';
import { explained } from '../../../src/report/auth-verdicts.js';
import type { Authentication, DkimVerdict, ReportCheck } from '../../../src/report/report.js';
import { sentence } from '../../../src/report/sentences/sentences.js';

/** Builders shared by the content checks' tests: messages composed by nodemailer, parsed by the real parser. */

/** The raw bytes nodemailer writes for `mail` (it adds Message-ID, Date and MIME structure as a real sender does). */
export async function composeRaw(mail: Mail.Options): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({ from: 'News <news@shop.test>', to: 'anna@ephemail.test', subject: 'Hello', ...mail });
  return info.message as Buffer;
}

/** `mail` composed by nodemailer and read by parseMessage. */
export async function composed(mail: Mail.Options): Promise<ParsedMessage> {
  return parseMessage(await composeRaw(mail));
}

/** Raw message lines joined with CRLF. */
export function crlf(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** A DKIM verdict: passing for shop.test, aligned, covering `signedHeaders`, unless told otherwise. */
export function dkimVerdict(signedHeaders: string[], overrides: Partial<DkimVerdict> = {}): DkimVerdict {
  return { result: 'pass', domain: 'shop.test', selector: 's1', aligned: true, signedHeaders, ...explained(sentence('dkim.pass', { domain: 'shop.test' })), ...overrides };
}

/** Authentication as it comes out for an unsigned message, with `dkim` signatures when given. */
export function authentication(dkim: DkimVerdict[] = [], dnsChecked = true): Authentication {
  return {
    spf: { result: 'none', domain: null, ...explained(sentence('spf.not-recorded')) },
    dkim,
    dmarc: { result: 'none', domain: 'shop.test', policy: null, alignment: { spf: false, dkim: false }, ...explained(sentence('dmarc.none', { domain: 'shop.test' })) },
    arc: { result: 'none', instances: 0, ...explained(sentence('arc.none')) },
    dnsChecked,
  };
}

/** The one check with that id, asserting there is exactly one. */
export function checkOf(checks: readonly ReportCheck[], id: string): ReportCheck {
  const found = checks.filter((check) => check.id === id);
  expect(found, id).toHaveLength(1);
  return found[0] as ReportCheck;
}
