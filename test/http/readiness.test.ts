import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/http-app.js';
import { openDialog } from '../support/smtp-dialog.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('/readyz: whether a load balancer sends this instance traffic', () => {
  it('answers 503 starting until the parse workers are warm, then 200 ready', async () => {
    let warm = false;
    const { app } = buildTestApp({ isWarm: () => warm });
    const starting = await app.request('/readyz');
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('1');
    expect(await starting.json()).toMatchObject({ code: 'starting', detail: expect.stringMatching(/still loading what it needs to read mail/) });
    warm = true;
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('closing behind a load balancer: /readyz turns first, the ports keep serving for the hand-over', () => {
  let server: TestServer | null = null;
  afterEach(async () => { await server?.close(); server = null; });

  it('answers /readyz 503 stopping with a sentence as soon as close() begins, while SMTP still greets and /healthz is 200', async () => {
    server = await startTestServer([], { handoverMs: 2_000 });
    const { httpUrl, smtpPort } = server;
    expect((await fetch(`${httpUrl}/readyz`)).status).toBe(200);
    const closing = server.close();
    const stopping = await fetch(`${httpUrl}/readyz`);
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toMatchObject({
      status: 503, code: 'stopping', detail: 'This instance is stopping; a load balancer should send new requests and connections to another one.',
    });
    // Within the hand-over a connection the balancer sent before its check saw the change is served.
    const dialog = await openDialog(smtpPort);
    expect(dialog.greeting.code).toBe(220);
    dialog.close();
    expect((await fetch(`${httpUrl}/healthz`)).status).toBe(200);
    await closing;
    server = null;
  });
});
