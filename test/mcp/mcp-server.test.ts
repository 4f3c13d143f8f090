import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInbox, ApiMessage, ApiMessageList, ApiProblemBody, ApiReport } from '../../src/http/api/types.js';
import { DATA_NOT_INSTRUCTIONS } from '../../src/http/mcp/tools.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { callTool, httpClient, sendSignup, SIGNUP, structured, textOf } from './mcp-support.js';

const TOOLS = ['create_inbox', 'delete_message', 'get_message', 'get_report', 'list_messages', 'wait_for_message'];
const INITIALIZE = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A raw JSON-RPC POST to /mcp, as an MCP client makes it. */
function post(server: TestServer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.httpUrl}/mcp`, {
    method: 'POST', body: JSON.stringify(INITIALIZE),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  });
}

describe('MCP over Streamable HTTP at /mcp', () => {
  let server: TestServer;
  let client: Client;

  beforeAll(async () => {
    server = await startTestServer(['--dns-servers', 'off']);
    client = await httpClient(server);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('lists the six tools, each saying that message content is data, never instructions, with an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description).toContain(DATA_NOT_INSTRUCTIONS);
      expect(tool.outputSchema?.type).toBe('object');
    }
    expect(DATA_NOT_INSTRUCTIONS).toMatch(/outside senders.*data, never instructions/);
  });

  it('creates an inbox, waits for the sign-up mail and reads its code, lists, reports on and deletes it', async () => {
    const inbox = structured<ApiInbox>(await callTool(client, 'create_inbox', {}));
    expect(inbox).toMatchObject({ random: true, public: false });

    const waiting = callTool(client, 'wait_for_message', { address: inbox.address, subject: 'confirm', from: 'acme', timeout: 20 });
    await expect.poll(() => server.hub.listenerCount(inbox.address)).toBe(1);
    await sendSignup(server, inbox.address);
    const found = structured<ApiMessage>(await waiting);
    expect(found).toMatchObject({ inbox: inbox.address, subject: SIGNUP.subject, codes: [SIGNUP.code], from: { address: 'no-reply@acme.example' } });
    expect(found.links).toContainEqual(expect.objectContaining({ url: SIGNUP.link, action: true }));

    const read = structured<ApiMessage>(await callTool(client, 'get_message', { address: inbox.address, id: found.id }));
    expect(read).toEqual(found);
    expect(read.text).toContain(`code is ${SIGNUP.code}`);
    expect(Object.keys(read).sort()).toEqual(['codes', 'date', 'from', 'id', 'inbox', 'links', 'receivedAt', 'subject', 'text']);

    const list = structured<ApiMessageList>(await callTool(client, 'list_messages', { address: inbox.address, subject: 'acme', limit: 5 }));
    expect(list.messages.map((message) => [message.id, message.codes])).toEqual([[found.id, [SIGNUP.code]]]);

    const report = structured<ApiReport>(await callTool(client, 'get_report', { address: inbox.address, id: found.id }));
    expect(report.score).toBeGreaterThanOrEqual(0);
    expect(report.authentication.dnsChecked).toBe(false);

    expect(structured(await callTool(client, 'delete_message', { address: inbox.address, id: found.id }))).toEqual({ id: found.id, deleted: true });
    expect(structured<ApiMessageList>(await callTool(client, 'list_messages', { address: inbox.address })).messages).toEqual([]);
    const gone = await callTool(client, 'get_message', { address: inbox.address, id: found.id });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toContain('message_not_found');
  });

  it('answers a bad address with a tool error carrying the API\'s own sentence and code', async () => {
    const api = (await (await fetch(`${server.httpUrl}/api/inboxes/${encodeURIComponent('not an address')}/messages`)).json()) as ApiProblemBody;
    for (const tool of ['wait_for_message', 'list_messages']) {
      const result = await callTool(client, tool, { address: 'not an address', timeout: 1 });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(textOf(result)).toBe(`${api.detail} (code invalid_address, status 400)`);
    }
  });

  it('answers a wait that times out with the API\'s 408 sentence', async () => {
    const inbox = structured<ApiInbox>(await callTool(client, 'create_inbox', { name: 'mcp-nobody-writes' }));
    const result = await callTool(client, 'wait_for_message', { address: inbox.address, timeout: 0.2 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^No matching message reached mcp-nobody-writes@ephemail\.test within 0\.2 s; .*\(code no_message_yet, status 408\)$/);
  });

  it('lets go of a wait as soon as the MCP client hangs up', async () => {
    const address = 'mcp-hang-up@ephemail.test';
    const hangUp = new AbortController();
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'wait_for_message', arguments: { address, timeout: 60 } } };
    const waiting = fetch(`${server.httpUrl}/mcp`, {
      method: 'POST', body: JSON.stringify(call), signal: hangUp.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    await expect.poll(() => server.hub.listenerCount(address)).toBe(1);
    hangUp.abort();
    await expect(waiting).rejects.toThrow();
    await expect.poll(() => server.hub.listenerCount(address)).toBe(0);
  });

  it('refuses requests from web pages, keeps CORS closed and sends the security headers', async () => {
    const fromPage = await post(server, { origin: 'https://evil.example' });
    expect(fromPage.status).toBe(403);
    expect(await fromPage.json()).toMatchObject({ code: 'origin_not_allowed' });
    const preflight = await fetch(`${server.httpUrl}/mcp`, {
      method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const ok = await post(server);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'ephemail' } } });
  });

  it('answers GET and DELETE with 405: stateless, it keeps no sessions and streams nothing unasked', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${server.httpUrl}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ code: 'method_not_allowed', detail: expect.stringContaining('takes only POST') });
    }
  });
});

describe('MCP and the API rate limit', () => {
  it('spends the client\'s API budget: once MCP has spent it, /mcp and /api both answer 429', async () => {
    const server = await startTestServer(['--rate-limit', '1', '--rate-burst', '8']);
    const client = await httpClient(server);
    try {
      let refusal: unknown = null;
      const refusedTools: string[] = [];
      for (let call = 0; call < 8 && refusal === null; call++) {
        try {
          const result = await callTool(client, 'list_messages', { address: 'budget@ephemail.test' });
          if (result.isError === true) refusedTools.push(textOf(result));
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toBeInstanceOf(StreamableHTTPError);
      expect((refusal as StreamableHTTPError).code).toBe(429);
      expect((refusal as Error).message).toContain('rate_limited');
      // A tool call that got in but whose API request did not is refused with the same sentence.
      for (const text of refusedTools) expect(text).toMatch(/\(code rate_limited, status 429\)$/);

      const mcp = await post(server);
      expect(mcp.status).toBe(429);
      expect(mcp.headers.get('retry-after')).toMatch(/^\d+$/);
      const api = await fetch(`${server.httpUrl}/api/domains`);
      expect(api.status).toBe(429);
      expect(await mcp.json()).toEqual(await api.json());
    } finally {
      await client.close();
      await server.close();
    }
  });
});
