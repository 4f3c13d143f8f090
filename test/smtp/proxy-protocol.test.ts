import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-lines.js';
import { dataBlock, openDialog, type SmtpDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Json = Record<string, any>;

/** The header HAProxy's send-proxy writes for a client at `client` that reached it on port 25. */
const proxyHeader = (client: string) => `PROXY TCP4 ${client} 198.51.100.1 40123 25\r\n`;

/** One message to `to` over `dialog`, which has had its greeting; resolves to the final reply. */
async function deliver(dialog: SmtpDialog, to: string, body = 'Subject: proxied\r\n\r\nhello\r\n'): Promise<string> {
  expect((await dialog.command('EHLO relay.sender.test')).code).toBe(250);
  expect((await dialog.command('MAIL FROM:<app@sender.test>')).code).toBe(250);
  expect((await dialog.command(`RCPT TO:<${to}>`)).code).toBe(250);
  expect((await dialog.command('DATA')).code).toBe(354);
  const stored = dialog.read();
  await dialog.write(dataBlock(body));
  return (await stored).text;
}

async function getJson(server: TestServer, path: string): Promise<Json> {
  const response = await fetch(`${server.httpUrl}${path}`);
  expect(response.status).toBe(200);
  return await response.json() as Json;
}

/** The one message `inbox` holds, in full, as the API shows it. */
async function onlyMessage(server: TestServer, inbox: string): Promise<Json> {
  const list = await getJson(server, `/api/inboxes/${inbox}/messages`);
  const [summary] = (Array.isArray(list) ? list : list.messages) as Json[];
  return getJson(server, `/api/inboxes/${inbox}/messages/${summary?.id}`);
}

/** A raw socket to `port` and everything the server writes to it until it closes. */
function rawConnection(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect({ port, host: '127.0.0.1' });
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => { received += chunk; });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

describe('--smtp-proxy-protocol true: the client is the one the PROXY header names', () => {
  let server: TestServer;
  const { log, lines } = capturingLogger('info');
  beforeAll(async () => {
    server = await startTestServer([
      '--smtp-proxy-protocol', 'true', '--smtp-max-connections-per-ip', '2', '--smtp-idle-timeout', '1s',
      '--memory-limit', '1MB', '--memory-share', '10%', '--max-message-size', '64KB', '--dns-servers', 'off',
    ], { log });
  });
  afterAll(() => server.close());

  it('records it in the message\'s session, which the API shows, and in the report\'s last hop', async () => {
    const dialog = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.9'));
    expect(dialog.greeting.code).toBe(220);
    expect(await deliver(dialog, 'proxied@ephemail.test')).toMatch(/^250 /);
    dialog.close();
    const message = await onlyMessage(server, 'proxied@ephemail.test');
    expect(message.envelope.session).toMatchObject({ clientIp: '203.0.113.9', helo: 'relay.sender.test' });
    const report = await getJson(server, `/api/inboxes/proxied@ephemail.test/messages/${message.id}/report`);
    expect(report.timeline.hops.at(-1).from).toBe('relay.sender.test [203.0.113.9]');
  });

  it('caps connections per address by that client, and logs the refusal naming it', async () => {
    const open = [
      await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.20')),
      await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.20')),
    ];
    expect(open.map((dialog) => dialog.greeting.code)).toEqual([220, 220]);
    const third = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.20'));
    expect(third.greeting.text).toMatch(/^421 4\.7\.0 /);
    // Every socket comes from 127.0.0.1, as through a proxy; another client is its own.
    const other = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.21'));
    expect(other.greeting.code).toBe(220);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'refused', reason: 'too_many_connections_from_address', remote: '203.0.113.20' }));
    for (const dialog of [...open, third, other]) dialog.close();
  });

  it('holds --memory-share per that client, and the refusal names it', async () => {
    const body = `Subject: big\r\n\r\n${'x'.repeat(70).concat('\r\n').repeat(900)}`;
    const first = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.30'));
    expect(await deliver(first, 'share@ephemail.test', body)).toMatch(/^250 /);
    expect(await deliver(first, 'share@ephemail.test', body)).toMatch(/^452 4\.3\.1 Mail from 203\.0\.113\.30 already takes /);
    first.close();
    const neighbour = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.31'));
    expect(await deliver(neighbour, 'share@ephemail.test', body)).toMatch(/^250 /);
    neighbour.close();
  });

  it('closes a connection that speaks SMTP first, with smtp-server\'s line, and goes on serving', async () => {
    const direct = rawConnection(server.smtpPort);
    direct.socket.write('EHLO direct.test\r\n');
    await direct.closed;
    expect(direct.received()).toBe('* BAD Invalid PROXY header\r\n');
    const dialog = await openDialog(server.smtpPort, '127.0.0.1', undefined, proxyHeader('203.0.113.40'));
    expect(dialog.greeting.code).toBe(220);
    dialog.close();
  });

  it('closes a connection that waits for a greeting without a header once --smtp-idle-timeout has passed, saying nothing', async () => {
    const silent = rawConnection(server.smtpPort);
    const started = Date.now();
    await silent.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(silent.received()).toBe('');
  });
});

describe('--smtp-proxy-protocol with the proxy\'s address: only that peer sends a header', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The proxy is 127.0.0.1; a client on 127.0.0.2 reaches the port directly.
    server = await startTestServer(['--smtp-proxy-protocol', '127.0.0.1', '--dns-servers', 'off']);
  });
  afterAll(() => server.close());

  it('takes the client from the header the listed proxy sends', async () => {
    const dialog = await openDialog(server.smtpPort, '127.0.0.1', '127.0.0.1', proxyHeader('203.0.113.50'));
    expect(dialog.greeting.code).toBe(220);
    expect(await deliver(dialog, 'via-proxy@ephemail.test')).toMatch(/^250 /);
    dialog.close();
    expect((await onlyMessage(server, 'via-proxy@ephemail.test')).envelope.session.clientIp).toBe('203.0.113.50');
  });

  it('greets a direct peer at once and keeps its own address, and a PROXY line from it is an unknown command', async () => {
    const dialog = await openDialog(server.smtpPort, '127.0.0.1', '127.0.0.2');
    expect(dialog.greeting.code).toBe(220);
    expect((await dialog.command(proxyHeader('203.0.113.9').trimEnd())).code).toBe(500);
    expect(await deliver(dialog, 'direct-peer@ephemail.test')).toMatch(/^250 /);
    dialog.close();
    expect((await onlyMessage(server, 'direct-peer@ephemail.test')).envelope.session.clientIp).toBe('127.0.0.2');
  });
});

describe('--smtp-proxy-protocol false, the default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('treats a PROXY line as an unknown command, so a client cannot choose its address', async () => {
    const dialog = await openDialog(server.smtpPort);
    expect(dialog.greeting.code).toBe(220);
    expect((await dialog.command(proxyHeader('203.0.113.9').trimEnd())).code).toBe(500);
    expect(await deliver(dialog, 'direct@ephemail.test')).toMatch(/^250 /);
    dialog.close();
    expect((await onlyMessage(server, 'direct@ephemail.test')).envelope.session.clientIp).toBe('127.0.0.1');
  });
});
