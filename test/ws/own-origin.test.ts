import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-lines.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { openEvents, refusal } from './ws-client.js';

// Bound to every interface, as in a container or on a LAN: a person opens the
// page by the machine's address, which no configured origin names.
describe('a page opened by the machine\'s address on a wildcard bind', () => {
  let server: TestServer;
  const capture = capturingLogger('info');
  beforeAll(async () => {
    server = await startTestServer(['--host', '0.0.0.0'], { log: capture.log });
  });
  afterAll(() => server.close());

  // 127.0.0.2 stands in for the machine's LAN address: it reaches the wildcard bind and is no default origin.
  const url = (address: string) => `ws://127.0.0.2:${server.httpPort}/api/inboxes/${encodeURIComponent(address)}/events`;

  it('opens its own live socket: the Origin names the host the request was sent to', async () => {
    const client = await openEvents(url('lan@ephemail.test'), { origin: `http://127.0.0.2:${server.httpPort}` });
    expect((await client.next()).type).toBe('hello');
    client.ws.close();
  });

  it('still refuses a page of another origin sent to the same host, and logs it', async () => {
    const refused = await refusal(url('lan@ephemail.test'), { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/^Pages from https:\/\/evil\.example may not follow inboxes here; the server allows its own pages and /);
    expect(capture.lines.some((line) => line.event === 'socket_refused' && line.origin === 'https://evil.example')).toBe(true);
  });
});
