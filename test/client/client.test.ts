import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EphemailError, EphemailTimeoutError, ephemail, type EphemailClient } from '../../src/client/index.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const VERIFY_URL = 'https://app.acme.example/verify?token=Zq81xT4m';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Real SMTP through nodemailer; resolves once the server has answered 250, so the message is stored. */
async function send(server: TestServer, to: string, mail: { subject: string; text?: string; html?: string; from?: string }) {
  const transport = mailer(server.smtpPort);
  try {
    await transport.sendMail({ from: mail.from ?? 'Acme <no-reply@acme.example>', to, text: 'Hello', ...mail });
  } finally {
    transport.close();
  }
}

function signup(server: TestServer, to: string) {
  return send(server, to, {
    subject: 'Confirm your Acme account',
    text: `Your confirmation code is 482913.\n\nVerify my email address: ${VERIFY_URL}`,
    html: `<p>Your confirmation code is <b>482913</b>.</p><p><a href="${VERIFY_URL}">Verify my email address</a></p>`,
  });
}

describe('the client against a real server', () => {
  let server: TestServer;
  let client: EphemailClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = ephemail(`${server.httpUrl}/`);
  });
  afterAll(() => server.close());

  it('creates an inbox, and waitForMessage resolves with the code and the verification link', async () => {
    const { defaultDomain } = await client.domains();
    const inbox = await client.createInbox();
    expect(inbox).toMatchObject({ random: true, public: false, address: expect.stringMatching(new RegExp(`^[a-z0-9-]{20}@${defaultDomain}$`)) });
    await signup(server, inbox.address);
    const message = await inbox.waitForMessage({ subject: 'confirm your', timeout: 5_000 });
    expect(message.codes[0]).toBe('482913');
    expect(message.links.find((link) => link.action)?.url).toBe(VERIFY_URL);
    expect(message.inbox).toBe(inbox.address);
  });

  it('resolves a wait started before the mail was sent, with one long poll and no list polling', async () => {
    const paths: string[] = [];
    const recording = ephemail(server.httpUrl, {
      fetch: (input, init) => {
        paths.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
    });
    const inbox = await recording.createInbox();
    const waiting = inbox.waitForMessage({ timeout: 10_000 });
    await sleep(300);
    await signup(server, inbox.address);
    expect((await waiting).subject).toBe('Confirm your Acme account');
    expect(paths).toEqual(['/api/inboxes', `/api/inboxes/${encodeURIComponent(inbox.address)}/wait`]);
  });

  it('skips a message that arrives first but fails a RegExp filter', async () => {
    const inbox = await client.createInbox();
    const waiting = inbox.waitForMessage({ subject: /confirm.*acme/i, from: /@acme\.example>$/, timeout: 10_000 });
    await sleep(200);
    await send(server, inbox.address, { subject: 'Our weekly newsletter' });
    await send(server, inbox.address, { subject: 'Confirm this Acme account', from: 'Impostor <no-reply@acme.example.evil>' });
    await sleep(200);
    await signup(server, inbox.address);
    expect((await waiting).from?.address).toBe('no-reply@acme.example');
  });

  it('finds an older matching message behind a newer one that fails the RegExp', async () => {
    const inbox = await client.createInbox();
    await signup(server, inbox.address);
    await send(server, inbox.address, { subject: 'Tips for your first week' });
    const message = await inbox.waitForMessage({ subject: /^confirm/i, timeout: 5_000 });
    expect(message.codes).toEqual(['482913']);
  });

  it('with since, waits only for messages after it', async () => {
    const inbox = await client.createInbox();
    await signup(server, inbox.address);
    const [first] = await inbox.messages();
    const waiting = inbox.waitForMessage({ since: first?.id, timeout: 10_000 });
    await sleep(200);
    await send(server, inbox.address, { subject: 'Second' });
    expect((await waiting).subject).toBe('Second');
  });

  it('times out with an error that names the inbox and the filters', async () => {
    const inbox = await client.createInbox();
    const started = Date.now();
    const error: unknown = await inbox.waitForMessage({ subject: /never/, from: 'nobody', timeout: 1_500 }).catch((thrown: unknown) => thrown);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(EphemailTimeoutError);
    expect(error).toBeInstanceOf(EphemailError);
    expect((error as Error).message).toBe(`No message with subject matching /never/, from containing "nobody" arrived in ${inbox.address} within 1.5 s.`);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('deletes one message, then empties the inbox', async () => {
    const inbox = await client.createInbox();
    await signup(server, inbox.address);
    await send(server, inbox.address, { subject: 'Second' });
    await send(server, inbox.address, { subject: 'Third' });
    const [third, second] = await inbox.messages();
    expect([third?.subject, second?.subject]).toEqual(['Third', 'Second']);
    await inbox.deleteMessage(third?.id ?? '');
    expect((await inbox.messages()).map((message) => message.subject)).toEqual(['Second', 'Confirm your Acme account']);
    const missing: unknown = await inbox.message(third?.id ?? '').catch((thrown: unknown) => thrown);
    expect(missing).toMatchObject({ name: 'EphemailError', status: 404, detail: expect.stringContaining('no message with that id') });
    expect(await inbox.delete()).toBe(2);
    expect(await inbox.messages()).toEqual([]);
  });

  it('reads a chosen inbox by any spelling of its address, and filters the list', async () => {
    const inbox = await client.createInbox({ localPart: 'QA.Client' });
    expect(inbox).toMatchObject({ address: 'qa.client@ephemail.test', random: false, public: true });
    await send(server, 'qa.client+signup@ephemail.test', { subject: 'Tagged' });
    await send(server, inbox.address, { subject: 'Plain' });
    const other = client.inbox('QA.Client+anything@EPHEMAIL.test');
    expect((await other.messages()).map((message) => message.tag)).toEqual([null, 'signup']);
    expect((await other.messages({ subject: 'TAG' })).map((message) => message.subject)).toEqual(['Tagged']);
    expect(await other.messages({ limit: 1 })).toHaveLength(1);
  });

  it('throws the server\'s explanation for a refused request', async () => {
    const error: unknown = await client.createInbox({ localPart: 'has space' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EphemailError);
    expect(error).toMatchObject({ status: 400, detail: expect.stringContaining('space') });
    expect((error as Error).message).toMatch(/^POST \/api\/inboxes failed with 400 Invalid name: /);
    await expect(client.inbox('not-an-address').messages()).rejects.toMatchObject({ status: 400 });
    expect(() => ephemail('localhost:8080')).toThrow(/not an http\(s\) URL/);
  });
});

describe('the client against a server with a short --wait-max and one wait per client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--wait-max', '300ms', '--max-waiters-per-client', '1']);
  });
  afterAll(() => server.close());

  it('keeps long-polling until its own deadline', async () => {
    const inbox = await ephemail(server.httpUrl).createInbox();
    const waiting = inbox.waitForMessage({ subject: 'late', timeout: 10_000 });
    await sleep(1_000);
    await send(server, inbox.address, { subject: 'A late message' });
    expect((await waiting).subject).toBe('A late message');
  });

  it('waits out a 429 for too many open waits instead of failing', async () => {
    const statuses: number[] = [];
    const inbox = await ephemail(server.httpUrl, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    }).createInbox();
    const holder = fetch(`${server.httpUrl}/api/inboxes/${encodeURIComponent(inbox.address)}/wait?timeout=200ms`);
    await sleep(50);
    const waiting = inbox.waitForMessage({ timeout: 15_000 });
    await holder;
    await send(server, inbox.address, { subject: 'After the crowd' });
    expect((await waiting).subject).toBe('After the crowd');
    expect(statuses).toContain(429);
  });
});
