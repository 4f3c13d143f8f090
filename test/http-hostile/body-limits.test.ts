import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { everyRoute } from './every-route.js';
import { problemOf, requestFrom } from './hostile-client.js';

const CLIENT = '203.0.113.40';

/** A JSON inbox request padded with blanks to exactly `bytes` bytes (a padding field would be refused as unknown). */
function inboxRequestOf(bytes: number): string {
  const frame = '{"localPart":"padded"}';
  return frame.replace('}', `${' '.repeat(bytes - frame.length)}}`);
}

/** A body of unknown length, as a client sends it chunked. */
function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const size = Math.min(left, 4096);
      if (size === 0) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(120));
      left -= size;
    },
  });
}

describe('POST /api/inboxes, the one route that takes a body', () => {
  it('takes up to 16 KB', async () => {
    const { app } = await everyRoute();
    const response = await requestFrom(app, CLIENT, '/api/inboxes', { method: 'POST', body: inboxRequestOf(16 * 1024) });
    expect(response.status).toBe(201);
  });

  it('refuses more with 413, a sentence and a closed connection', async () => {
    const { app } = await everyRoute();
    const response = await requestFrom(app, CLIENT, '/api/inboxes', { method: 'POST', body: inboxRequestOf(16 * 1024 + 1) });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await problemOf(response)).toMatchObject({
      title: 'Payload Too Large', detail: 'The request body is larger than 16 KB; an inbox request needs only a name and a domain.',
    });
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const { app } = await everyRoute();
    const response = await requestFrom(app, CLIENT, '/api/inboxes', { method: 'POST', body: streamOf(20 * 1024), duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('refuses a huge declared body before routing, with the ceiling of every route', async () => {
    const { app } = await everyRoute();
    for (const path of ['/api/inboxes', '/api/no-such-route', '/anything']) {
      for (const method of ['POST', 'PUT', 'PATCH']) {
        const response = await requestFrom(app, CLIENT, path, { method, body: 'x'.repeat(1024 * 1024) });
        expect(response.status, `${method} ${path}`).toBe(413);
        expect((await problemOf(response)).detail).toBe('The request body is larger than 64 KB, more than any request here needs.');
      }
    }
  });
});

describe('routes that take no body', () => {
  it('refuse a declared body over 1 KB on every route, with 413 and a closed connection', async () => {
    const { app, requests } = await everyRoute();
    const others = requests.filter((request) => !['POST /api/inboxes', 'POST /mcp'].includes(request.route));
    expect(others.length).toBeGreaterThan(15);
    for (const request of others) {
      const method = request.init?.method ?? 'GET';
      // GET and HEAD may not carry a body in a fetch Request, but the header alone is what is judged.
      const init: RequestInit = method === 'GET'
        ? { headers: { 'content-length': '1025' } }
        : { method, body: 'x'.repeat(1025) };
      const response = await requestFrom(app, CLIENT, request.path, init);
      expect(response.status, `${method} ${request.path}`).toBe(413);
      expect(response.headers.get('connection')).toBe('close');
      expect((await problemOf(response)).detail).toBe(`A ${method} request here takes no body; send it without one.`);
    }
  });

  it('refuse a chunked body once it passes 1 KB, and a chunked GET at once, since its size cannot be known', async () => {
    const { app, requests } = await everyRoute();
    const deleting = requests.find((request) => request.route === 'DELETE /api/inboxes/:address');
    expect((await requestFrom(app, CLIENT, '/api/domains', { headers: { 'transfer-encoding': 'chunked' } })).status).toBe(413);
    const response = await requestFrom(app, CLIENT, deleting?.path ?? '', { method: 'DELETE', body: streamOf(1025), duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    const small = await requestFrom(app, CLIENT, deleting?.path ?? '', { method: 'DELETE', body: streamOf(1024), duplex: 'half' } as RequestInit);
    expect(small.status).toBe(200);
  });

  it('ignore up to 1 KB, such as the {} some clients put on DELETE', async () => {
    const { app, requests } = await everyRoute();
    const deleting = requests.find((request) => request.route === 'DELETE /api/inboxes/:address');
    expect((await requestFrom(app, CLIENT, deleting?.path ?? '', { method: 'DELETE', body: '{}' })).status).toBe(200);
    expect((await requestFrom(app, CLIENT, '/api/domains', { headers: { 'content-length': '0' } })).status).toBe(200);
    expect((await requestFrom(app, CLIENT, '/api/domains', { method: 'OPTIONS', body: 'x'.repeat(1024) })).status).toBeLessThan(300);
  });
});

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The server closed the connection after answering. */
  closed: boolean;
}

/** A request written by hand on a real socket, for bodies a fetch client will not send (a GET with a body). */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => {
        const socket = response.socket;
        const answer = (closed: boolean) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, closed });
        if (socket.destroyed || socket.readyState === 'closed') answer(true);
        else socket.once('close', () => answer(true));
      });
    });
    // The server may hang up before the whole body is written; the answer is what counts.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.end(body);
  });
}

describe('bodies on a real socket', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('answers a GET with a large body 413 and closes the connection instead of reading it', async () => {
    const body = Buffer.alloc(256 * 1024, 'x');
    const answer = await rawRequest(server.httpPort, 'GET', '/api/domains', { 'content-length': String(body.length) }, body);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closed).toBe(true);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, detail: 'A GET request here takes no body; send it without one.' });
  });

  it('answers a chunked GET 413', async () => {
    const answer = await rawRequest(server.httpPort, 'GET', '/healthz', { 'transfer-encoding': 'chunked' }, Buffer.from('hello'));
    expect(answer.status).toBe(413);
  });

  it('answers a large chunked POST 413 without taking it all', async () => {
    const answer = await rawRequest(server.httpPort, 'POST', '/api/inboxes', { 'transfer-encoding': 'chunked' }, Buffer.alloc(4 * 1024 * 1024, 'x'));
    expect(answer.status).toBe(413);
    expect(answer.closed).toBe(true);
  });

  it('still serves a GET that declares an empty body', async () => {
    const answer = await rawRequest(server.httpPort, 'GET', '/api/domains', { 'content-length': '0' }, Buffer.alloc(0));
    expect(answer.status).toBe(200);
  });
});
