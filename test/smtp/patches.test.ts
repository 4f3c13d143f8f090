import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Server } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installEnhancedCodes, useEnhancedCode } from '../../src/smtp/patches/enhanced-codes.js';
import { filterReplies, isDeliveredReply, type GuardedConnection } from '../../src/smtp/patches/guarded-send.js';
import type { ConnectionInternals } from '../../src/smtp/patches/internals.js';
import { libraryLimit, UNRECOGNIZED_COMMANDS_LIMIT } from '../../src/smtp/patches/library-replies.js';
import { listenerOf } from '../../src/smtp/patches/listener.js';
import { takeRecipientsAsWritten } from '../../src/smtp/patches/recipients-as-written.js';
import { readRecipientLine, recipientLineReplies } from '../../src/smtp/recipient-line.js';
import { bareServers, type Bare, type Sent } from '../support/bare-smtp.js';
import { sendRaw } from '../support/smtp-dialog.js';

// Every use of smtp-server's internals, checked against the installed smtp-server. A failure here
// after an upgrade names the patch to review: src/smtp/patches/ is the only place that needs it.

const review = (change: string, patch: string) => `smtp-server changed ${change}: review src/smtp/patches/${patch}`;

const { startBare, dial, closeAll } = bareServers();
afterEach(closeAll);

const TRANSACTION = { to: ['someone@example.test'], body: 'Subject: pinned\r\n\r\nhello\r\n' };

describe('the smtp-server version', () => {
  it('is the one package.json and its lock pin, exactly', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    const pinned = manifest.dependencies['smtp-server'];
    const installed = (createRequire(import.meta.url)('smtp-server/package.json') as { version: string }).version;
    expect(pinned, 'package.json must pin smtp-server to an exact version: src/smtp/patches/ was checked against that one').toMatch(/^\d+\.\d+\.\d+$/);
    expect(lock.packages['']?.dependencies?.['smtp-server'], 'package-lock.json must pin smtp-server as package.json does').toBe(pinned);
    expect(lock.packages['node_modules/smtp-server']?.version, 'package-lock.json resolves another smtp-server than the pinned one').toBe(pinned);
    expect(installed, `smtp-server ${installed} is installed, but package.json pins ${pinned}: review every module in src/smtp/patches/ against it and run this file before changing the pin`).toBe(pinned);
  });
});

describe('connection-registry: server.connections', () => {
  it('is a Set that smtp-server adds each connection to before it greets it, and deletes it from on QUIT', async () => {
    const bare = await startBare();
    expect(bare.server.connections, review('server.connections, no longer a Set', 'connection-registry.ts')).toBeInstanceOf(Set);
    const dialog = await dial(bare);
    expect(dialog.greeting.code).toBe(220);
    // The recorder is installed by the registry: seeing the greeting means it was watched first.
    expect(bare.sent[0]?.[0]?.code, review('when it adds a connection to server.connections (no longer before the greeting)', 'connection-registry.ts')).toBe(220);
    expect([...bare.server.connections], review('what server.connections holds', 'connection-registry.ts')).toEqual(bare.connections);
    await dialog.command('QUIT');
    expect([...bare.server.connections], review('when a connection leaves server.connections', 'internals.ts (and the backstop in src/smtp/limits.ts)')).toEqual([]);
  });

  it('hands every hook the connection\'s own session object, across transactions', async () => {
    const bare = await startBare();
    const dialog = await dial(bare);
    await dialog.command('EHLO client.test');
    for (let round = 0; round < 2; round++) {
      await dialog.command('MAIL FROM:<a@example.test>');
      await dialog.command('RCPT TO:<b@example.test>');
      await dialog.command('RSET');
    }
    const [connection] = bare.connections;
    expect(bare.hookSessions).toHaveLength(5);
    for (const session of bare.hookSessions) {
      expect(session, review('the session object it hands hooks (no longer connection.session)', 'enhanced-codes.ts and src/smtp/patches/guarded-send.ts')).toBe(connection?.session);
    }
  });
});

describe('enhanced-codes: connection._getEnhancedStatusCode', () => {
  it('is the function that derives the enhanced code of a reply from its code and context', async () => {
    const bare = await startBare();
    await dial(bare);
    const connection = bare.connections[0] as ConnectionInternals;
    expect(typeof connection._getEnhancedStatusCode, review('connection._getEnhancedStatusCode, no longer a function', 'enhanced-codes.ts')).toBe('function');
    const derive = connection._getEnhancedStatusCode.bind(connection);
    expect([derive(250), derive(250, 'DATA_OK'), derive(550), derive(421), derive(220, false)], review('the codes _getEnhancedStatusCode derives', 'enhanced-codes.ts'))
      .toEqual(['2.0.0', '2.6.0', '5.1.1', '4.4.2', '']);
  });

  it('is asked by send for every reply, so a chosen code reaches the wire once', async () => {
    const bare = await startBare({
      onRcptTo(address, session, callback) {
        if (address.address.startsWith('chosen@')) useEnhancedCode(session, '5.1.2');
        if (address.address.startsWith('ok@')) return callback();
        callback(Object.assign(new Error('Not here'), { responseCode: 550 }));
      },
    }, installEnhancedCodes);
    const dialog = await dial(bare);
    await dialog.command('EHLO client.test');
    await dialog.command('MAIL FROM:<a@example.test>');
    const replies = await dialog.pipeline(['RCPT TO:<chosen@example.test>', 'RCPT TO:<other@example.test>', 'RCPT TO:<ok@example.test>']);
    expect(replies.map((reply) => reply.text), review('how send gets the enhanced code of a reply', 'enhanced-codes.ts'))
      .toEqual(['550 5.1.2 Not here', '550 5.1.1 Not here', '250 2.1.5 Accepted']);
  });
});

describe('guarded-send: connection.send, _closing and _closed', () => {
  it('is the single write site: every reply of a transaction goes through send, the delivered one marked', async () => {
    const bare = await startBare();
    const wire = await sendRaw(bare.port, TRANSACTION);
    const sent = bare.sent[0] ?? [];
    expect(sent.map(({ code }) => code), review('which replies go through connection.send', 'guarded-send.ts')).toEqual([220, 250, 250, 250, 354, 250, 221]);
    expect(wire.map(({ code }) => code)).toEqual([250, 250, 250, 354, 250]);
    const delivered = sent.map(({ context }) => isDeliveredReply(context));
    expect(delivered, review('the context of its reply to a delivered message (no longer \'DATA_OK\')', 'guarded-send.ts'))
      .toEqual([false, false, false, false, false, true, false]);
  });

  it('flags a connection it ends as _closing, then _closed once the socket closed', async () => {
    let guarded: GuardedConnection | undefined;
    const bare = await startBare({}, (server) => filterReplies(server, (connection) => {
      guarded = connection;
      return connection.send;
    }));
    const dialog = await dial(bare);
    const connection = bare.connections[0] as ConnectionInternals;
    const flags = () => ({ closing: connection._closing, closed: connection._closed, ending: guarded?.ending });
    const message = review('the _closing/_closed flags of a connection', 'guarded-send.ts');
    expect(flags(), message).toEqual({ closing: false, closed: false, ending: false });
    expect((await dialog.command('QUIT')).code).toBe(221);
    expect(flags(), message).toEqual({ closing: true, closed: false, ending: true });
    await dialog.closed;
    await vi.waitFor(() => expect(flags(), message).toEqual({ closing: false, closed: true, ending: true }));
  });

  it('closes the connection after a 421 it is given to write', async () => {
    let guarded: GuardedConnection | undefined;
    const bare = await startBare({}, (server) => filterReplies(server, (connection) => {
      guarded = connection;
      return connection.send;
    }));
    const dialog = await dial(bare);
    const reply = dialog.read();
    guarded?.send(421, 'Cut by the session guard');
    expect((await reply).text).toBe('421 4.4.2 Cut by the session guard');
    await vi.waitFor(() => expect(dialog.socket.destroyed, review('send(421): it no longer closes the connection', 'guarded-send.ts')).toBe(true));
  });
});

describe('library-replies: the texts of smtp-server\'s own 421s', () => {
  const lastSent = (bare: Bare, connection = 0) => bare.sent[connection]?.at(-1);
  const recognised = (sent: Sent | undefined) => (sent === undefined ? null : libraryLimit(sent.code, sent.data));
  const changed = (limit: string, sent: Sent | undefined) => review(`its ${limit} reply (now ${JSON.stringify(sent)})`, 'library-replies.ts');

  it('tells its idle timeout', async () => {
    const bare = await startBare({ socketTimeout: 200 });
    const dialog = await dial(bare);
    await dialog.closed;
    expect(recognised(lastSent(bare)), changed('idle timeout', lastSent(bare))).toBe('idleTimeout');
  });

  it('tells its maxClients refusal', async () => {
    const bare = await startBare({ maxClients: 1 });
    await dial(bare);
    const refused = await dial(bare);
    expect(refused.greeting.code).toBe(421);
    expect(recognised(lastSent(bare, 1)), changed('maxClients', lastSent(bare, 1))).toBe('tooManyConnections');
  });

  it('tells its refusal of an over-long command line', async () => {
    const bare = await startBare({ maxCommandLength: 100 });
    const dialog = await dial(bare);
    await dialog.write(`NOOP ${'x'.repeat(200)}\r\n`);
    await dialog.closed;
    expect(recognised(lastSent(bare)), changed('command line too long', lastSent(bare))).toBe('commandTooLong');
  });

  it(`tells its cap of ${UNRECOGNIZED_COMMANDS_LIMIT} unrecognised commands`, async () => {
    const bare = await startBare();
    const dialog = await dial(bare);
    const replies = await dialog.pipeline(Array.from({ length: UNRECOGNIZED_COMMANDS_LIMIT }, () => 'FOO'));
    expect(replies.map(({ code }) => code), review('its cap of unrecognised commands', 'library-replies.ts'))
      .toEqual([...Array.from({ length: UNRECOGNIZED_COMMANDS_LIMIT - 1 }, () => 500), 421]);
    expect(recognised(lastSent(bare)), changed('too many unrecognised commands', lastSent(bare))).toBe('tooManyUnrecognizedCommands');
  });

  it('takes no other reply of a transaction for one of them', async () => {
    const bare = await startBare();
    await sendRaw(bare.port, TRANSACTION);
    expect(bare.sent[0]?.map(recognised)).toEqual(Array.from({ length: 7 }, () => null));
  });
});

describe('recipients-as-written: connection.handler_RCPT and _parseAddressCommand', () => {
  it('checks and rewrites the address of RCPT TO itself, which is why the patch reads it', async () => {
    const bare = await startBare();
    await dial(bare);
    const connection = bare.connections[0] as ConnectionInternals;
    const parse = (line: string) => connection._parseAddressCommand('rcpt to', line);
    const message = review('how _parseAddressCommand reads a RCPT TO path', 'recipients-as-written.ts');
    expect([parse('RCPT TO:<a..b@example.test>'), parse('RCPT TO:<a b@example.test>')], message).toEqual([false, false]);
    expect(parse('RCPT TO:<hans@xn--mnchen-3ya.test>'), message).toMatchObject({ address: 'hans@münchen.test' });
  });

  it('reads the parameters of a line with an empty path without checking an address', async () => {
    const bare = await startBare();
    await dial(bare);
    const connection = bare.connections[0] as ConnectionInternals;
    const message = review('how _parseAddressCommand reads the parameters after <>', 'recipients-as-written.ts');
    expect(connection._parseAddressCommand('rcpt to', 'RCPT TO:<> '), message).toEqual({ address: '', args: false });
    expect(connection._parseAddressCommand('rcpt to', 'RCPT TO:<> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+40b'), message)
      .toEqual({ address: '', args: { NOTIFY: 'SUCCESS,FAILURE', ORCPT: 'rfc822;a@b' } });
    expect(connection._parseAddressCommand('rcpt to', 'RCPT TO:<> ORCPT=rfc822;a+01b'), message).toBe(false);
  });

  it('looks handler_RCPT up on the connection, which hands onRcptTo what _parseAddressCommand returned, parameters read', async () => {
    const recipients: SMTPServerAddress[] = [];
    const bare = await startBare({
      onRcptTo(address, _session, callback) {
        recipients.push(address);
        callback();
      },
    }, (server) => {
      installEnhancedCodes(server);
      takeRecipientsAsWritten(server, { read: readRecipientLine, badParameters: recipientLineReplies.badParameters });
    });
    const dialog = await dial(bare);
    await dialog.command('EHLO client.test');
    await dialog.command('MAIL FROM:<a@example.test>');
    const replies = await dialog.pipeline(['RCPT TO:<A..b@xn--mnchen-3ya.test> NOTIFY=SUCCESS', 'RCPT TO:<>', 'DATA']);
    const message = review('how handler_RCPT is found and what it does with a parse', 'recipients-as-written.ts');
    const { empty } = recipientLineReplies;
    expect(replies.map(({ text }) => text), message).toEqual([
      '250 2.1.5 Accepted', `${empty.responseCode} ${empty.enhancedCode} ${empty.message}`, '354 End data with <CR><LF>.<CR><LF>',
    ]);
    expect(recipients, message).toEqual([{ address: 'A..b@xn--mnchen-3ya.test', args: { NOTIFY: 'SUCCESS' } }]);
  });
});

describe('listener: server.server', () => {
  it('is the net.Server that smtp-server listens with', async () => {
    const server = new SMTPServer({ logger: false });
    const listening = server.listen(0, '127.0.0.1');
    try {
      expect(listenerOf(server), review('server.server, no longer a net.Server', 'listener.ts')).toBeInstanceOf(Server);
      expect(listenerOf(server), review('server.server, no longer the server listen() binds', 'listener.ts')).toBe(listening);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
