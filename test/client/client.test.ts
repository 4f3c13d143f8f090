import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EphemailError, EphemailTimeoutError, ephemail, type EphemailClient } from '../../src/client/index.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const VERIFY_URL = 'https://app.acme.example/verify?token=Zq81xT4m';

/** Resolves once `server` holds a long poll open on `inbox`: the wait has started. */
async function waitStarted(server: TestServer, inbox: string): Promise<void> {
  await expect.poll(() => server.hub.listenerCount(inbox)).toBe(1);
}

/** A client that records the path, query and answer of every request it makes. */
function recording(server: TestServer) {
  // Recorded when sent, so a long poll still open is seen; its status is null until it is answered.
  const requests: Array<{ path: string; query: URLSearchParams; status: number | null }> = [];
  const client = ephemail(server.httpUrl, {
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const request = { path: url.pathname, query: url.searchParams, status: null as number | null };
      requests.push(request);
      const response = await fetch(input, init);
      request.status = response.status;
      return response;
    },
  });
  const waits = () => requests.filter((request) => request.path.endsWith('/wait'));
  return { client, requests, waits };
}

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
    const { client: recorded, requests } = recording(server);
    const inbox = await recorded.createInbox();
    const waiting = inbox.waitForMessage({ timeout: 10_000 });
    await waitStarted(server, inbox.address);
    await signup(server, inbox.address);
    expect((await waiting).subject).toBe('Confirm your Acme account');
    expect(requests.map((request) => request.path)).toEqual(['/api/inboxes', `/api/inboxes/${encodeURIComponent(inbox.address)}/wait`]);
  });

  it('skips a message that arrives first but fails a RegExp filter', async () => {
    const { client: recorded, waits } = recording(server);
    const inbox = await recorded.createInbox();
    const waiting = inbox.waitForMessage({ subject: /confirm.*acme/i, from: /@acme\.example>$/, timeout: 10_000 });
    await waitStarted(server, inbox.address);
    await send(server, inbox.address, { subject: 'Our weekly newsletter' });
    await send(server, inbox.address, { subject: 'Confirm this Acme account', from: 'Impostor <no-reply@acme.example.evil>' });
    // The client has looked at both and waits again after the impostor, so the real mail is what ends this wait.
    const [impostor] = await inbox.messages();
    await expect.poll(() => waits().at(-1)?.query.get('since')).toBe(impostor?.id);
    await waitStarted(server, inbox.address);
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
    await waitStarted(server, inbox.address);
    await send(server, inbox.address, { subject: 'Second' });
    expect((await waiting).subject).toBe('Second');
  });

  it('times out with an error that names the inbox and the filters', async () => {
    const { client: recorded, waits } = recording(server);
    const inbox = await recorded.createInbox();
    const started = Date.now();
    const error: unknown = await inbox.waitForMessage({ subject: /never/, from: 'nobody', timeout: 1_500 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EphemailTimeoutError);
    expect(error).toBeInstanceOf(EphemailError);
    expect(error).toMatchObject({ status: 408, code: 'no_message_yet' });
    expect((error as Error).message).toBe(`No message with subject matching /never/, from containing "nobody" arrived in ${inbox.address} within 1.5 s.`);
    // Not before the timeout; and not long after, which a busy machine cannot tell: no long poll asked the server for more than it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(waits().map((wait) => wait.status)).toContain(408);
    for (const wait of waits()) expect(Number.parseInt(wait.query.get('timeout') ?? '', 10)).toBeLessThanOrEqual(1_500);
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

  it('pages back through an inbox with before, by id or by time', async () => {
    const inbox = await client.createInbox();
    for (const subject of ['One', 'Two', 'Three']) await send(server, inbox.address, { subject });
    const [newest, middle] = await inbox.messages({ limit: 2 });
    const older = await inbox.messages({ limit: 2, before: middle?.id });
    expect([newest?.subject, middle?.subject, ...older.map((message) => message.subject)]).toEqual(['Three', 'Two', 'One']);
    expect(await inbox.messages({ before: new Date(middle?.receivedAt ?? 0) })).toEqual(older);
  });

  it('throws the server\'s explanation for a refused request', async () => {
    const error: unknown = await client.createInbox({ localPart: 'has space' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EphemailError);
    expect(error).toMatchObject({ status: 400, detail: expect.stringContaining('space') });
    expect((error as Error).message).toMatch(/^POST \/api\/inboxes failed with 400 Invalid name: /);
    expect(error).toMatchObject({ code: 'invalid_name', reasonCode: 'name_space', reasonValues: {} });
    await expect(client.inbox('bad!name@ephemail.test').messages()).rejects.toMatchObject({
      status: 400, code: 'invalid_address', reasonCode: 'name_forbidden_character_utf8', reasonValues: { character: '!' },
    });
    await expect(client.inbox('a@ephemail.test').message('0'.repeat(26))).rejects.toMatchObject({ status: 404, reasonCode: null, reasonValues: null });
    expect(() => ephemail('localhost:8080')).toThrow(/not an http\(s\) URL/);
  });

  it('refuses text that is not an address at once, without a request', () => {
    const { client: recorded, requests } = recording(server);
    for (const text of ['not an address', 'no-at-sign', 'two@at@signs', '@ephemail.test', 'name@']) {
      expect(() => recorded.inbox(text), text).toThrow(new TypeError(`inbox(): "${text}" is not an email address; pass one such as name@ephemail.test.`));
    }
    expect(requests).toEqual([]);
  });

  it('gives a message\'s raw bytes as they arrived', async () => {
    const inbox = await client.createInbox();
    await signup(server, inbox.address);
    const [message] = await inbox.messages();
    const raw = new TextDecoder().decode(await inbox.raw(message?.id ?? ''));
    expect(raw).toMatch(/^Subject: Confirm your Acme account\r$/m);
    await expect(inbox.raw('0'.repeat(26))).rejects.toMatchObject({ status: 404, code: 'message_not_found' });
  });
});

describe('the client when no server answers', () => {
  it('throws an EphemailError that names the URL and says the server is not reachable', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const closed = await startTestServer();
    const url = closed.httpUrl;
    await closed.close();
    const error: unknown = await ephemail(url).createInbox().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EphemailError);
    expect(error).toMatchObject({ status: 0, code: null, cause: expect.any(TypeError) });
    expect((error as Error).message).toBe(`The Ephemail server at ${url} is not reachable (connect ECONNREFUSED ${url.slice('http://'.length)}); check that it is running and that the URL is right.`);
  });
});

describe('the client against a server with a short --wait-max', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--wait-max', '300ms']);
  });
  afterAll(() => server.close());

  it('keeps long-polling until its own deadline', async () => {
    const { client: recorded, waits } = recording(server);
    const inbox = await recorded.createInbox();
    const waiting = inbox.waitForMessage({ subject: 'late', timeout: 10_000 });
    // Two long polls ran out at the server's 300 ms, and the client is back for a third.
    await expect.poll(() => waits().filter((wait) => wait.status === 408).length).toBeGreaterThanOrEqual(2);
    await waitStarted(server, inbox.address);
    await send(server, inbox.address, { subject: 'A late message' });
    expect((await waiting).subject).toBe('A late message');
  });
});

describe('the client against a server with one wait per client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--max-waiters-per-client', '1']);
  });
  afterAll(() => server.close());

  it('waits out a 429 for too many open waits instead of failing', async () => {
    const { client: recorded, waits } = recording(server);
    const inbox = await recorded.createInbox();
    const hangUp = new AbortController();
    // This address's one wait, held until the client has been refused, then hung up, which frees it at once.
    const holder = fetch(`${server.httpUrl}/api/inboxes/${encodeURIComponent(inbox.address)}/wait?timeout=30s`, { signal: hangUp.signal })
      .catch(() => undefined);
    await waitStarted(server, inbox.address);
    const waiting = inbox.waitForMessage({ timeout: 15_000 });
    await expect.poll(() => waits().map((wait) => wait.status)).toContain(429);
    hangUp.abort();
    await holder;
    await send(server, inbox.address, { subject: 'After the crowd' });
    expect((await waiting).subject).toBe('After the crowd');
  });
});
