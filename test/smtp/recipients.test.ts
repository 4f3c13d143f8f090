import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailer } from '../support/mailer.js';
import { sendRaw } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('one inbox per envelope recipient', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(['--domains', 'ephemail.test,münchen.test,*']); });
  afterAll(() => server.close());

  it('shows the message in the store as soon as sendMail resolves (250 means stored)', async () => {
    const info = await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: 'now@ephemail.test', subject: 'Visible at once', text: 'hi' });
    // No waiting of any kind between the 250 and the read.
    const list = await server.summaries.list('now@ephemail.test');
    expect(list.map((m) => m.subject)).toEqual(['Visible at once']);
    expect(info.response).toMatch(/^250 2\.6\.0 /);
  });

  it('stores a copy in each of three inboxes, sharing the raw bytes', async () => {
    const to = ['one@ephemail.test', 'two@ephemail.test', 'three@elsewhere.test'];
    const info = await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to, subject: 'Three ways', text: 'hello' });
    expect(info.accepted).toEqual(to);
    expect(info.response).toContain('3 inboxes');
    const lists = await Promise.all(to.map((inbox) => server.summaries.list(inbox)));
    expect(lists.map((list) => list.map((m) => [m.inbox, m.subject]))).toEqual(to.map((inbox) => [[inbox, 'Three ways']]));
    const ids = lists.map((list) => list[0]?.id);
    expect(new Set(ids).size).toBe(3);
    const stored = await server.store.get('one@ephemail.test', ids[0] ?? '');
    expect(stored?.envelope).toEqual({ mailFrom: 'app@example.com', rcptTo: to, session: expect.objectContaining({ clientIp: '127.0.0.1' }) });
  });

  it('delivers to Bcc recipients: the envelope decides, not the headers', async () => {
    await mailer(server.smtpPort).sendMail({
      from: 'app@example.com', to: 'visible@ephemail.test', bcc: ['hidden@ephemail.test'], subject: 'Blind copy', text: 'psst',
    });
    const [hidden] = await server.summaries.list('hidden@ephemail.test');
    expect(hidden?.subject).toBe('Blind copy');
    expect(hidden?.to.map((mailbox) => mailbox.address)).toEqual(['visible@ephemail.test']);
    const raw = (await server.store.get('hidden@ephemail.test', hidden?.id ?? ''))?.raw.toString('utf8') ?? '';
    expect(raw).not.toMatch(/^bcc:/im);
    expect(await server.summaries.list('visible@ephemail.test')).toHaveLength(1);
  });

  it('also follows an envelope that names nobody in the headers', async () => {
    await mailer(server.smtpPort).sendMail({
      envelope: { from: 'bounce@example.com', to: ['envelope-only@ephemail.test'] },
      raw: 'From: a@example.com\r\nTo: someone-else@example.com\r\nSubject: Envelope only\r\n\r\nbody\r\n',
    });
    expect((await server.summaries.list('envelope-only@ephemail.test')).map((m) => m.subject)).toEqual(['Envelope only']);
    expect(await server.summaries.list('someone-else@example.com')).toEqual([]);
  });

  it('folds case and takes the +tag off into its own field', async () => {
    await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: 'Someone+News@EPHEMAIL.test', subject: 'Tagged', text: 'x' });
    const list = await server.summaries.list('someone@ephemail.test');
    expect(list.map(({ inbox, tag, subject }) => ({ inbox, tag, subject }))).toEqual([
      { inbox: 'someone@ephemail.test', tag: 'news', subject: 'Tagged' },
    ]);
    expect(await server.summaries.list('someone+news@ephemail.test')).toEqual([]);
  });

  it('stores one copy when two recipients name the same inbox', async () => {
    const replies = await sendRaw(server.smtpPort, {
      to: ['same+a@ephemail.test', 'SAME@ephemail.test', 'same+b@ephemail.test'],
      body: 'Subject: Once\r\n\r\nonly once\r\n',
    });
    expect(replies.at(-1)?.text).toBe('250 2.6.0 Message stored in one inbox');
    expect((await server.summaries.list('same@ephemail.test')).map((m) => [m.subject, m.tag])).toEqual([['Once', 'a']]);
  });

  it('puts an IDN domain written as Unicode and as punycode into one inbox', async () => {
    const transport = mailer(server.smtpPort);
    await transport.sendMail({ envelope: { from: 'a@example.com', to: ['hans@xn--mnchen-3ya.test'] }, raw: 'Subject: punycode\r\n\r\nx\r\n' });
    await transport.sendMail({ envelope: { from: 'a@example.com', to: ['Hans@MÜNCHEN.test'] }, raw: 'Subject: unicode\r\n\r\nx\r\n' });
    const replies = await sendRaw(server.smtpPort, { to: ['hans@München.Test'], body: 'Subject: raw unicode\r\n\r\nx\r\n', mailParams: 'SMTPUTF8' });
    expect(replies.at(-1)?.code).toBe(250);
    const list = await server.summaries.list('hans@münchen.test');
    expect(list.map((m) => m.subject).sort()).toEqual(['punycode', 'raw unicode', 'unicode']);
    expect(await server.summaries.list('hans@xn--mnchen-3ya.test')).toEqual([]);
  });

  it('accepts RCPT TO:<postmaster> without a domain, into the default domain\'s postmaster inbox (RFC 5321 4.5.1)', async () => {
    const replies = await sendRaw(server.smtpPort, { to: ['Postmaster'], body: 'Subject: For the postmaster\r\n\r\nx\r\n' });
    expect(replies.map((reply) => reply.code)).toEqual([250, 250, 250, 354, 250]);
    expect((await server.summaries.list('postmaster@ephemail.test')).map((m) => m.subject)).toEqual(['For the postmaster']);
  });

  it('refuses a UTF-8 local part even with SMTPUTF8 (nodemailer asks for it by itself), as "Choose a name" does', async () => {
    const sending = mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: 'Jürgen@ephemail.test', subject: 'Umlaut', text: 'x' });
    await expect(sending).rejects.toMatchObject({
      responseCode: 553, response: "553 5.1.3 Only Latin letters, digits, dot, hyphen, underscore and plus are allowed; 'ü' is not.",
    });
    expect(await server.summaries.list('jürgen@ephemail.test')).toEqual([]);
  });
});
