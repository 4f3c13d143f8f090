import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../support/manual-clock.js';
import { mailer } from '../support/mailer.js';
import { metric } from '../support/scrape.js';
import { dataBlock, openDialog, sendRaw, type SmtpDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const SIM = 'simulator.ephemail.test';
const SEE_README = "(Ephemail's failure simulator; see README).";

async function transaction(port: number, from = 'app@example.com'): Promise<SmtpDialog> {
  const dialog = await openDialog(port);
  expect((await dialog.command('EHLO app.example.com')).code).toBe(250);
  expect((await dialog.command(`MAIL FROM:<${from}>`)).code).toBe(250);
  return dialog;
}

/** Sends one message body on a dialog whose recipients are in, and returns the reply to it. */
async function sendData(dialog: SmtpDialog, subject: string): Promise<string> {
  expect((await dialog.command('DATA')).code).toBe(354);
  const reply = dialog.read();
  await dialog.write(dataBlock(`Subject: ${subject}\r\n\r\nHello.\r\n`));
  return (await reply).text;
}

async function subjects(server: TestServer, inbox: string): Promise<string[]> {
  return (await server.summaries.list(inbox)).map((summary) => summary.subject);
}

// Only the default domain is listed, and no catch-all: the simulator's domain is taken anyway.
describe('the failure simulator over SMTP', () => {
  let server: TestServer;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = createManualClock();
    server = await startTestServer(['--domains', 'ephemail.test'], { clock });
  });
  afterAll(() => server.close());

  it.each([
    [`bounce@${SIM}`, `550 5.1.1 Simulated bounce: bounce@${SIM} does not exist ${SEE_README}`],
    [`Mailbox-Full+signup@Simulator.Ephemail.TEST`, `452 4.2.2 Simulated full mailbox: mailbox-full@${SIM} is full and takes no more mail until some is deleted; try again later ${SEE_README}`],
    [`tempfail@${SIM}`, `451 4.3.0 Simulated temporary failure: tempfail@${SIM} cannot take mail right now; try again later ${SEE_README}`],
    [`nobody@${SIM}`, `550 5.1.1 Simulated bounce: nobody@${SIM} is not one of the failure simulator's addresses; it has bounce, mailbox-full, tempfail, greylist, slow, reject-data at ${SIM} (see README).`],
  ])('answers RCPT TO:<%s> with %s', async (address, expected) => {
    const dialog = await transaction(server.smtpPort);
    expect((await dialog.command(`RCPT TO:<${address}>`)).text).toBe(expected);
    dialog.close();
  });

  it('counts its refusals apart from real ones', async () => {
    expect(await metric(server.httpPort, 'ephemail_messages_rejected_total{reason="simulated"}')).toBe(4);
  });

  it('answers a bounce the same way every time on one connection, past --smtp-max-bad-commands (20), which counts real refusals only', async () => {
    const dialog = await transaction(server.smtpPort);
    for (let attempt = 0; attempt < 25; attempt++) expect((await dialog.command(`RCPT TO:<bounce@${SIM}>`)).code).toBe(550);
    expect((await dialog.command('RCPT TO:<someone@ephemail.test>')).code).toBe(250);
    dialog.close();
  });

  it('bounces through nodemailer, whose error carries the code and the sentence', async () => {
    const sent = mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: `bounce+welcome@${SIM}`, subject: 'Welcome', text: 'Hi' });
    await expect(sent).rejects.toMatchObject({
      responseCode: 550,
      response: `550 5.1.1 Simulated bounce: bounce@${SIM} does not exist ${SEE_README}`,
    });
  });

  it('delivers to the good recipient of a mixed envelope and refuses the bounce at its RCPT', async () => {
    const info = await mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: ['customer@ephemail.test', `bounce@${SIM}`], subject: 'Mixed', text: 'Hi' });
    expect(info.accepted).toEqual(['customer@ephemail.test']);
    expect(info.rejected).toEqual([`bounce@${SIM}`]);
    expect(await subjects(server, 'customer@ephemail.test')).toEqual(['Mixed']);
    expect(await subjects(server, `bounce@${SIM}`)).toEqual([]);
  });

  it('greylists the first try and a retry too soon with 451 4.7.1, and accepts and stores one 5 s later', async () => {
    const dialog = await transaction(server.smtpPort, 'retrier@example.com');
    expect((await dialog.command(`RCPT TO:<greylist@${SIM}>`)).text)
      .toBe(`451 4.7.1 Simulated greylisting: A first try from this client and sender to greylist@${SIM} is deferred; try again in 5 seconds or more ${SEE_README}`);
    clock.advance(4_000);
    expect((await dialog.command(`RCPT TO:<greylist@${SIM}>`)).text)
      .toBe(`451 4.7.1 Simulated greylisting: A retry this soon from this client and sender to greylist@${SIM} is deferred; try again in 1 second or more ${SEE_README}`);
    clock.advance(1_000);
    expect((await dialog.command(`RCPT TO:<greylist@${SIM}>`)).text).toBe('250 2.1.5 Accepted');
    expect(await sendData(dialog, 'Let through')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
    expect(await subjects(server, `greylist@${SIM}`)).toEqual(['Let through']);
  });

  it('greylists each new message again, through nodemailer too', async () => {
    const send = () => mailer(server.smtpPort).sendMail({ from: 'app@example.com', to: `greylist+n@${SIM}`, subject: 'Retried', text: 'Hi' });
    await expect(send()).rejects.toMatchObject({ responseCode: 451, response: expect.stringMatching(/^451 4\.7\.1 Simulated greylisting: A first try /) });
    clock.advance(5_000);
    expect((await send()).accepted).toEqual([`greylist+n@${SIM}`]);
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    expect(await subjects(server, `greylist@${SIM}`)).toEqual(['Retried', 'Let through']);
  });

  it('accepts slow@ only once 5 s have passed on the clock, serving others meanwhile, and stores the message', async () => {
    const dialog = await transaction(server.smtpPort);
    const timers = clock.pending();
    let answered = false;
    const reply = dialog.command(`RCPT TO:<slow@${SIM}>`).finally(() => { answered = true; });
    await expect.poll(() => clock.pending()).toBe(timers + 1);
    // Meanwhile another client is served: the wait holds one session, not the server.
    const neighbour = await sendRaw(server.smtpPort, { to: ['neighbour@ephemail.test'], body: 'Subject: meanwhile\r\n\r\nx\r\n' });
    expect(neighbour.at(-1)?.text).toBe('250 2.6.0 Message stored in one inbox');
    clock.advance(4_999);
    // The reply can only come from the clock's timer; a few turns of the event loop let a wrong one show.
    for (let turn = 0; turn < 5; turn++) await new Promise(setImmediate);
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await reply).text).toBe('250 2.1.5 Accepted');
    expect(await sendData(dialog, 'Took its time')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
    expect(await subjects(server, `slow@${SIM}`)).toEqual(['Took its time']);
  });

  it('accepts reject-data@ at RCPT, then refuses the message with 554 5.6.0 for every recipient', async () => {
    const dialog = await transaction(server.smtpPort);
    expect((await dialog.command('RCPT TO:<bystander@ephemail.test>')).text).toBe('250 2.1.5 Accepted');
    expect((await dialog.command(`RCPT TO:<reject-data@${SIM}>`)).text).toBe('250 2.1.5 Accepted');
    expect(await sendData(dialog, 'Refused')).toBe(`554 5.6.0 Simulated content rejection: reject-data@${SIM} refuses every message once it has arrived, so it was not stored for any of its recipients ${SEE_README}`);
    // The session goes on, and the next message is taken.
    expect((await dialog.command('MAIL FROM:<app@example.com>')).code).toBe(250);
    expect((await dialog.command('RCPT TO:<bystander@ephemail.test>')).code).toBe(250);
    expect(await sendData(dialog, 'Taken')).toBe('250 2.6.0 Message stored in one inbox');
    dialog.close();
    expect(await subjects(server, 'bystander@ephemail.test')).toEqual(['Taken']);
    expect(await subjects(server, `reject-data@${SIM}`)).toEqual([]);
  });
});

describe('the failure simulator on HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--domains', 'ephemail.test']);
  });
  afterAll(() => server.close());

  it('lists the inboxes of its names, though --domains does not name its domain', async () => {
    await sendRaw(server.smtpPort, { to: [`reject-data@${SIM}`], body: 'Subject: never stored\r\n\r\nx\r\n' });
    const response = await fetch(`${server.httpUrl}/api/inboxes/reject-data@${SIM}/messages`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ address: `reject-data@${SIM}`, messages: [] });
  });

  it('refuses a name it does not have with the sentence SMTP gives', async () => {
    const response = await fetch(`${server.httpUrl}/api/inboxes/nobody@${SIM}/messages`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'invalid_address',
      detail: `nobody@${SIM} is not one of the failure simulator's addresses; it has bounce, mailbox-full, tempfail, greylist, slow, reject-data at ${SIM} (see README).`,
    });
  });

  it('makes no inbox at its domain, random or chosen, and says why', async () => {
    for (const body of [{ domain: SIM }, { localPart: 'greylist', domain: SIM }]) {
      const response = await fetch(`${server.httpUrl}/api/inboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'domain_not_accepted',
        detail: `${SIM} belongs to the failure simulator, whose addresses are fixed: bounce, mailbox-full, tempfail, greylist, slow, reject-data. Send to them as they are; mail that greylist@ and slow@ accept can be read like any inbox's.`,
      });
    }
  });
});

describe('--simulator false', () => {
  it('leaves the addresses to the domain rules: refused without catch-all, on both ports', async () => {
    const server = await startTestServer(['--domains', 'ephemail.test', '--simulator', 'false']);
    try {
      const dialog = await transaction(server.smtpPort);
      expect((await dialog.command(`RCPT TO:<bounce@${SIM}>`)).text).toBe(`550 5.1.2 This server does not take mail for ${SIM}; use an address at ephemail.test.`);
      dialog.close();
      const response = await fetch(`${server.httpUrl}/api/inboxes/bounce@${SIM}/messages`);
      expect(await response.json()).toMatchObject({ status: 400, code: 'domain_not_accepted' });
    } finally {
      await server.close();
    }
  });

  it('leaves the addresses to the domain rules: ordinary inboxes with catch-all', async () => {
    const server = await startTestServer(['--simulator', 'false']);
    try {
      const replies = await sendRaw(server.smtpPort, { to: [`bounce@${SIM}`, `nobody@${SIM}`, `reject-data@${SIM}`], body: 'Subject: ordinary\r\n\r\nx\r\n' });
      expect(replies.map((reply) => reply.code)).toEqual([250, 250, 250, 250, 250, 354, 250]);
      expect(await subjects(server, `bounce@${SIM}`)).toEqual(['ordinary']);
      expect(await subjects(server, `reject-data@${SIM}`)).toEqual(['ordinary']);
    } finally {
      await server.close();
    }
  });
});
