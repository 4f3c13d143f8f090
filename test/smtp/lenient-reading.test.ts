import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Mail whose layout is broken in ways a mail client forgives, delivered over
 * real SMTP and read on every path the real server has: the listing (the
 * lean digest, in a parse worker), the message and its text (the full
 * parse, in a parse worker) and the report (its own parse, in a report
 * worker). Each shows the body a client shows, the line the layout used to
 * hide included.
 */

interface BrokenMail {
  name: string;
  raw: string;
  /** The first line of the body, which the broken layout used to hide. */
  firstLine: string;
  subject: string;
  problems: string[];
}

const SHORT_LINK = 'https://bit.ly/3xAmpLe';

const MAIL: BrokenMail[] = [
  {
    name: 'a Content-Type of "text" without a subtype',
    raw: ['From: club@example.com', 'Subject: =?iso-8859-1?Q?Best=E4tigung?=', 'Content-Type: text; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '',
      `Ihr Best=E4tigungscode: 730914, oder ${SHORT_LINK}`, ''].join('\r\n'),
    firstLine: `Ihr Bestätigungscode: 730914, oder ${SHORT_LINK}`,
    subject: 'Bestätigung',
    problems: ['1 Content-Type value(s) named no type/subtype; those parts are read as text/plain (RFC 2045, section 5.2).'],
  },
  {
    name: 'no empty line between the headers and the body',
    raw: ['From: robot@build.example', 'Subject: build 2291 failed', `Your code is 482913, see ${SHORT_LINK}`, 'second line', ''].join('\r\n'),
    firstLine: `Your code is 482913, see ${SHORT_LINK}`,
    subject: 'build 2291 failed',
    problems: ['1 header block(s) did not end with an empty line; each body is read from the first line that is not a header field, as mail clients read it.'],
  },
  {
    name: 'no headers at all',
    raw: [`Your one-time code is 118204 ${SHORT_LINK}`, 'It expires in ten minutes.', '', 'Ignore it if you did not ask.', ''].join('\r\n'),
    firstLine: `Your one-time code is 118204 ${SHORT_LINK}`,
    subject: '',
    problems: ['The message has no readable headers.'],
  },
];

describe('mail with a broken layout, read as a mail client reads it', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(['--dns-servers', 'off']); });
  afterAll(() => server.close());

  const api = async (path: string): Promise<Response> => {
    const response = await fetch(`${server.httpUrl}/api${path}`);
    expect(response.status, path).toBe(200);
    return response;
  };

  it.each(MAIL.map((mail, index) => [mail.name, mail, index] as const))('%s: the listing, the message, its text and its report show the body', async (_name, mail, index) => {
    const inbox = `lenient-${index}@ephemail.test`;
    await mailer(server.smtpPort).sendMail({ envelope: { from: 'sender@example.com', to: [inbox] }, raw: Buffer.from(mail.raw, 'latin1') });
    const messages = `/inboxes/${encodeURIComponent(inbox)}/messages`;

    const { messages: [summary] } = await (await api(messages)).json() as { messages: Array<Record<string, unknown>> };
    expect(summary).toMatchObject({ subject: mail.subject, attachmentCount: 0, parseFailed: false });
    expect(summary?.preview).toMatch(new RegExp(`^${mail.firstLine.replace(/[.?/]/g, '\\$&')}`));
    expect(summary?.codes).toEqual([mail.firstLine.match(/\d{6}/)?.[0]]);

    const message = await (await api(`${messages}/${String(summary?.id)}`)).json() as Record<string, unknown>;
    expect(message).toMatchObject({ subject: mail.subject, attachments: [], problems: mail.problems });
    expect(String(message.text).split('\n')[0]).toBe(mail.firstLine);
    expect((await (await api(`${messages}/${String(summary?.id)}/text`)).text()).split('\n')[0]).toBe(mail.firstLine);

    const report = await (await api(`${messages}/${String(summary?.id)}/report`)).json() as { checks: Array<{ id: string; status: string }> };
    expect(report.checks.find((check) => check.id === 'url-shortener')).toMatchObject({ status: 'warn' });
  });
});
