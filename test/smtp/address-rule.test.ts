import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { dataBlock, openDialog, type SmtpDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const LATIN_ONLY = 'Only Latin letters, digits, dot, hyphen, underscore and plus are allowed';
const QUOTED = 'Quoted names such as "john doe"@example.com are not supported; use letters, digits, dot, hyphen, underscore and plus instead.';

// The cases of issue 23: names "Choose a name" refuses, which SMTP accepted, read as another inbox, or refused without a reason.
const REFUSED_NAMES: Array<[label: string, localPart: string, sentence: string]> = [
  ['a comment', 'a(b)', `${LATIN_ONLY}; '(' is not.`],
  ['a group name', 'qq:b', `${LATIN_ONLY}; ':' is not.`],
  ['a Cyrillic name', 'почта', `${LATIN_ONLY}; 'п' is not.`],
  ['two dots in a row', 'a..b', "The name cannot have two dots in a row ('..')."],
  ['a leading dot', '.a', 'The name cannot start with a dot.'],
  ['a quoted name with a space', '"a b"', QUOTED],
  ['a semicolon', 'a;b', `${LATIN_ONLY}; ';' is not.`],
  ['a space', 'a b', 'The name has a space in it; addresses cannot contain spaces.'],
];

/** EHLO on a fresh connection. */
async function session(port: number): Promise<SmtpDialog> {
  const dialog = await openDialog(port);
  expect((await dialog.command('EHLO client.test')).code).toBe(250);
  return dialog;
}

/** Sends DATA with `subject` and resolves to the reply to the message. */
async function sendData(dialog: SmtpDialog, subject: string): Promise<string> {
  expect((await dialog.command('DATA')).code).toBe(354);
  const reply = dialog.read();
  await dialog.write(dataBlock(`Subject: ${subject}\r\n\r\nx\r\n`));
  return (await reply).text;
}

describe('RCPT TO follows the rule of "Choose a name", on the address as the client wrote it', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(() => server.close());

  /** What GET /api/addresses/check says of `localPart` at ephemail.test. */
  async function apiCheck(localPart: string): Promise<{ valid: boolean; reason: string | null; address: string | null }> {
    const response = await fetch(`${server.httpUrl}/api/addresses/check?localPart=${encodeURIComponent(localPart)}&domain=ephemail.test`);
    return response.json() as Promise<{ valid: boolean; reason: string | null; address: string | null }>;
  }

  it.each(REFUSED_NAMES)('refuses %s with 553 5.1.3 and the API\'s sentence, with SMTPUTF8 and without, and the session goes on', async (_label, localPart, sentence) => {
    expect(await apiCheck(localPart)).toMatchObject({ valid: false, reason: sentence });
    const dialog = await session(server.smtpPort);
    for (const params of ['', ' SMTPUTF8']) {
      expect((await dialog.command(`MAIL FROM:<app@example.com>${params}`)).code).toBe(250);
      expect((await dialog.command(`RCPT TO:<${localPart}@ephemail.test>`)).text).toBe(`553 5.1.3 ${sentence}`);
      expect((await dialog.command('RCPT TO:<next@ephemail.test>')).text).toBe('250 2.1.5 Accepted');
      expect((await dialog.command('RSET')).code).toBe(250);
    }
    dialog.close();
  });

  it('rewrites none of them into another inbox: after all the refusals, one session stores the message in its one good recipient only', async () => {
    const dialog = await session(server.smtpPort);
    expect((await dialog.command('MAIL FROM:<app@example.com> SMTPUTF8')).code).toBe(250);
    const refusals = await dialog.pipeline(REFUSED_NAMES.map(([, localPart]) => `RCPT TO:<${localPart}@ephemail.test>`));
    expect(refusals.map(({ code }) => code)).toEqual(REFUSED_NAMES.map(() => 553));
    expect((await dialog.command('RCPT TO:<kept@ephemail.test>')).code).toBe(250);
    expect(await sendData(dialog, 'After the refusals')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
    expect((await server.summaries.list('kept@ephemail.test')).map(({ subject }) => subject)).toEqual(['After the refusals']);
    // What a reader that drops comments, group names and what follows a ';' would have made of them.
    for (const inbox of ['a@ephemail.test', 'b@ephemail.test', 'ab@ephemail.test', 'a..b@ephemail.test', 'почта@ephemail.test']) {
      expect(await server.summaries.list(inbox), inbox).toEqual([]);
    }
  });

  it.each([
    ['a punycode domain that decodes to a control character', 'a@xn--a.com', "'xn--a.com' is not a valid domain name."],
    ['an invisible character', 'a\u200bb@ephemail.test', `${LATIN_ONLY}; the invisible character U+200B is not.`],
    ['a trailing dot', 'a.@ephemail.test', 'The name cannot end with a dot.'],
    ['two dots in the domain', 'a@ephemail..test', 'The domain cannot have two dots in a row.'],
    ['a hyphen at the end of a label', 'a@ephemail-.test', "A part of the domain cannot start or end with a hyphen ('ephemail-')."],
    ['an address over 254 bytes', `${'a'.repeat(10)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(54)}.test`, 'The address is 262 bytes long; the limit is 254.'],
  ])('gives %s, which smtp-server refused with its own 501, the rule\'s reason on what was written', async (_label, address, sentence) => {
    const dialog = await session(server.smtpPort);
    expect((await dialog.command('MAIL FROM:<app@example.com>')).code).toBe(250);
    expect((await dialog.command(`RCPT TO:<${address}>`)).text).toBe(`553 5.1.3 ${sentence}`);
    dialog.close();
  });

  it('keeps 501 for a line with no address to judge, with a sentence, and the session goes on', async () => {
    const dialog = await session(server.smtpPort);
    expect((await dialog.command('MAIL FROM:<app@example.com>')).code).toBe(250);
    const unreadable = '501 5.1.3 Write the recipient in angle brackets after TO:, as in RCPT TO:<name@example.com>, with any parameters after a space.';
    const replies = await dialog.pipeline([
      'RCPT TO:a@ephemail.test', 'RCPT TO:<a@ephemail.test', 'RCPT TO<a@ephemail.test>', 'RCPT TO:<a@ephemail.test>NOTIFY=NEVER',
      'RCPT TO:<>', 'RCPT TO:<a@ephemail.test> ORCPT=rfc822;a+01b',
    ]);
    expect(replies.map(({ text }) => text)).toEqual([
      unreadable, unreadable, unreadable, unreadable,
      '501 5.1.3 RCPT TO:<> names nobody; put the address between the angle brackets, as in RCPT TO:<name@example.com>.',
      '501 5.5.4 A parameter after the recipient has a control character in it; parameters are plain text such as NOTIFY=NEVER.',
    ]);
    expect((await dialog.command('RCPT TO:<after@ephemail.test>')).code).toBe(250);
    expect(await sendData(dialog, 'After the 501s')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
  });

  it('accepts and ignores a source route, as RFC 5321 asks, and still reads the parameters and the +tag', async () => {
    const dialog = await session(server.smtpPort);
    expect((await dialog.command('MAIL FROM:<app@example.com>')).code).toBe(250);
    expect((await dialog.command('RCPT TO:<@relay.test,@other.test:Routed+Tag@EPHEMAIL.test> NOTIFY=NEVER')).text).toBe('250 2.1.5 Accepted');
    expect((await dialog.command('RCPT TO:<x@ephemail.test> NOTIFY=NEVER NOTIFY=NEVER')).text).toBe('501 5.5.4 Error: duplicate NOTIFY parameter');
    expect(await sendData(dialog, 'Routed')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
    expect((await server.summaries.list('routed@ephemail.test')).map(({ subject, tag }) => [subject, tag])).toEqual([['Routed', 'tag']]);
  });

  it('takes any sender the client names, with SMTPUTF8 too: MAIL FROM names no inbox, so the name rule is not its', async () => {
    const dialog = await session(server.smtpPort);
    for (const sender of ['<a(b)@example.com>', '<почта@example.com> SMTPUTF8', '<>']) {
      expect((await dialog.command(`MAIL FROM:${sender}`)).text, sender).toBe('250 2.1.0 Accepted');
      expect((await dialog.command('RSET')).code).toBe(250);
    }
    dialog.close();
  });
});

describe('RCPT TO through nodemailer', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(() => server.close());

  it.each([
    ['a Cyrillic name, sent with SMTPUTF8', 'почта@ephemail.test', `${LATIN_ONLY}; 'п' is not.`],
    ['a quoted name with a space', '"a b"@ephemail.test', QUOTED],
    // nodemailer quotes these itself ("a..b"@…), and the rule answers what it wrote.
    ['two dots in a row', 'a..b@ephemail.test', QUOTED],
    ['a leading dot', '.a@ephemail.test', QUOTED],
  ])('refuses %s with 553 5.1.3 and the sentence, and stores nothing', async (_label, to, sentence) => {
    const sending = mailer(server.smtpPort).sendMail({ envelope: { from: 'app@example.com', to: [to] }, raw: 'Subject: refused\r\n\r\nx\r\n' });
    await expect(sending).rejects.toMatchObject({ responseCode: 553, response: `553 5.1.3 ${sentence}` });
    expect(await server.store.stats()).toMatchObject({ messages: 0 });
  });

  it('delivers to the good recipient of an envelope that also names a refused one', async () => {
    const info = await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: ['почта@ephemail.test', 'good@ephemail.test'], subject: 'Half', text: 'x' });
    expect([info.accepted, info.rejected]).toEqual([['good@ephemail.test'], ['почта@ephemail.test']]);
    expect((await server.summaries.list('good@ephemail.test')).map(({ subject }) => subject)).toEqual(['Half']);
  });
});
