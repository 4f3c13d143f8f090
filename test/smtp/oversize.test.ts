import { channel } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposedGc } from '../support/gc.js';
import { openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// A full collection on demand, so external memory can be compared before and after.
const gc = exposedGc();

function externalBytes(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

/** Resolves once `read()` reaches `target`, polling briefly; fails after `limitMs`. */
async function until(read: () => number, target: number, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (read() < target) {
    if (Date.now() > deadline) throw new Error(`stuck at ${read()} of ${target}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a message far over --max-message-size', () => {
  let server: TestServer;
  // The server's side of each SMTP connection, to see how much it has read.
  const accepted: Socket[] = [];
  const onSocket = (message: unknown) => accepted.push((message as { socket: Socket }).socket);
  beforeAll(async () => {
    channel('net.server.socket').subscribe(onSocket);
    server = await startTestServer(['--max-message-size', '100KB']);
  });
  afterAll(async () => {
    channel('net.server.socket').unsubscribe(onSocket);
    await server.close();
  });

  it('is read and dropped as it arrives: memory does not grow by its size, nothing is stored', async () => {
    const dialog = await openDialog(server.smtpPort);
    await dialog.command('EHLO client.test');
    await dialog.command('MAIL FROM:<a@example.com>');
    await dialog.command('RCPT TO:<huge@ephemail.test>');
    expect((await dialog.command('DATA')).code).toBe(354);
    const serverSide = accepted.find((socket) => socket.remotePort === dialog.socket.localPort);
    if (serverSide === undefined) throw new Error('server socket not seen');

    const before = externalBytes();
    const line = Buffer.from(`${'z'.repeat(998)}\r\n`);
    const chunk = Buffer.concat(Array.from({ length: 64 }, () => line)); // 64,000 bytes, reused
    const total = 5 * 1024 * 1024;
    const start = serverSide.bytesRead;
    await dialog.write('Subject: huge\r\n\r\n');
    let sent = 0;
    while (sent < total) {
      await dialog.write(chunk);
      sent += chunk.length;
    }
    // Every byte has left the kernel into the server before the message ends.
    await until(() => serverSide.bytesRead - start, sent);
    const during = externalBytes();
    expect(during - before).toBeLessThan(1024 * 1024);

    await dialog.write('.\r\n');
    expect((await dialog.read()).text).toMatch(/^552 5\.3\.4 The message is \d+ bytes; this server takes messages of at most 100KB\.$/);
    expect(await dialog.command('NOOP')).toMatchObject({ code: 250 });
    dialog.close();
    expect(await server.summaries.list('huge@ephemail.test')).toEqual([]);
    expect(await server.store.stats()).toEqual({ messages: 0, bytes: 0 });
    expect(externalBytes() - before).toBeLessThan(1024 * 1024);
  });
});
