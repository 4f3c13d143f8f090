import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ApiMessage } from '../../src/http/api/types.js';
import type { StoreEvent } from '../../src/store/store.js';
import { mailer } from '../support/mailer.js';
import { useHostileServer } from '../support/hostile-server.js';
import { openEvents } from '../ws/ws-client.js';

/**
 * Readers that fail in every way JavaScript allows: a listener that throws,
 * a WebSocket client that stops reading, and long-poll waiters that hang up
 * before or in the middle of their response. (A listener cannot hang: it
 * would block the one thread, which no design survives.) None of them may
 * slow intake or cost another reader an event.
 */

const hostile = useHostileServer();
const { unexpected } = hostile;

async function send(to: string, subject: string, text = 'hello'): Promise<void> {
  const info = await mailer(hostile.server.smtpPort).sendMail({ from: 'app@example.com', to, subject, text });
  expect(info.accepted).toEqual([to]);
}

/** Raw bytes of an HTTP/1.1 request on a socket of its own, so the test decides when to stop reading. */
function rawRequest(lines: string[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(hostile.server.httpPort, '127.0.0.1', () => {
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('failing readers', () => {
  it('a listener that throws costs the other listeners nothing', async () => {
    const inbox = 'throwing@ephemail.test';
    const seen: StoreEvent[] = [];
    const offHub = hostile.server.hub.subscribe(inbox, () => { throw new Error('hub listener failed'); });
    const offStore = hostile.server.store.subscribe(() => { throw new Error('store listener failed'); });
    const offHealthy = hostile.server.hub.subscribe(inbox, (event) => seen.push(event));
    try {
      await send(inbox, 'one');
      await send(inbox, 'two');
      const stored = await hostile.server.summaries.list(inbox);
      await expect.poll(() => seen.map((event) => event.type === 'message' ? event.message.id : event.type)).toEqual(stored.map((message) => message.id).reverse());
      expect((await hostile.server.summaries.list(inbox)).map((message) => message.subject)).toEqual(['two', 'one']);
    } finally {
      offHub();
      offStore();
      offHealthy();
    }
    expect(unexpected).toEqual([]);
  });

  it('a WebSocket client that stops reading slows neither intake nor other sockets', async () => {
    const inbox = 'stalled@ephemail.test';
    // A handshake on a bare socket that is then never read from: frames pile up in buffers.
    const stalled = await rawRequest([
      `GET /api/inboxes/${inbox}/events HTTP/1.1`, `Host: 127.0.0.1:${hostile.server.httpPort}`, 'Upgrade: websocket', 'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13',
    ]);
    // Accepted (the server now streams to it), and from here on never read.
    const handshake = await new Promise<string>((resolve) => stalled.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    expect(handshake).toMatch(/^HTTP\/1\.1 101 /);
    stalled.pause();
    const healthy = await openEvents(`ws://127.0.0.1:${hostile.server.httpPort}/api/inboxes/${inbox}/events`);
    try {
      expect((await healthy.next()).type).toBe('hello');
      for (let index = 0; index < 12; index++) await send(inbox, `stalled ${index}`);
      for (let index = 0; index < 12; index++) {
        const frame = await healthy.next();
        expect(frame.type === 'message' ? frame.message.subject : frame.type).toBe(`stalled ${index}`);
      }
    } finally {
      healthy.ws.close();
      stalled.destroy();
    }
    expect(unexpected).toEqual([]);
  });

  it('waiters that hang up, before or during their answer, leave no trace and cost others nothing', async () => {
    const inbox = 'waiters@ephemail.test';
    const waitPath = `/api/inboxes/${inbox}/wait?timeout=30`;
    const request = [`GET ${waitPath} HTTP/1.1`, `Host: 127.0.0.1:${hostile.server.httpPort}`];
    // One leaves before any mail, one as soon as the first bytes of its (1 MB) answer arrive.
    const early = await rawRequest(request);
    const midway = await rawRequest(request);
    const cutMidway = new Promise<number>((resolve) => midway.once('data', (chunk: Buffer) => { midway.destroy(); resolve(chunk.length); }));
    const patient = fetch(`${hostile.server.httpUrl}${waitPath}`);
    await expect.poll(() => hostile.server.hub.listenerCount(inbox)).toBe(3);
    early.destroy();
    await expect.poll(() => hostile.server.hub.listenerCount(inbox)).toBe(2);

    await send(inbox, 'for the waiters', 'y'.repeat(1_000_000));
    expect(await cutMidway).toBeGreaterThan(0);
    const answer = await patient;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as ApiMessage).subject).toBe('for the waiters');
    // Every waiter's subscription is gone, and the next one is served as usual.
    expect(hostile.server.hub.listenerCount(inbox)).toBe(0);
    await send(inbox, 'after');
    const next = await fetch(`${hostile.server.httpUrl}/api/inboxes/${inbox}/wait?timeout=5`);
    expect(next.status).toBe(200);
    expect(unexpected).toEqual([]);
  });
});
