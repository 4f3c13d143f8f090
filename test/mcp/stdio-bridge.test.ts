import { once } from 'node:events';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInbox, ApiMessage } from '../../src/http/api/types.js';
import { runStdioBridge } from '../../src/cli/mcp-bridge.js';
import { DATA_NOT_INSTRUCTIONS } from '../../src/http/mcp/tools.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { callTool, sendSignup, SIGNUP, structured, textOf } from './mcp-support.js';

// The program itself, from the repository root, as an MCP client's configuration launches it.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INITIALIZE = {
  jsonrpc: '2.0', id: 7, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const listener = createServer().listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const address = listener.address();
  listener.close();
  await once(listener, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The bridge in this process on streams; `reply` is the next line it writes, as JSON. */
function bridgeOnStreams(url: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  const done = runStdioBridge({ url, input, output });
  const reply = async (): Promise<unknown> => {
    const [chunk] = (await once(output, 'data')) as [Buffer];
    return JSON.parse(chunk.toString('utf8'));
  };
  return { input, done, reply };
}

describe('the stdio bridge (ephemail mcp --url URL)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the server\'s tools over stdio to the SDK\'s stdio client, launched as `ephemail mcp --url`: an inbox, its mail and its code', async () => {
    const client = new Client({ name: 'ephemail-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({
      command: process.execPath, args: ['--import', 'tsx', 'src/main.ts', 'mcp', '--url', server.httpUrl], cwd: ROOT, stderr: 'pipe',
    }));
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(6);
      for (const tool of tools) expect(tool.description).toContain(DATA_NOT_INSTRUCTIONS);

      const inbox = structured<ApiInbox>(await callTool(client, 'create_inbox', {}));
      await sendSignup(server, inbox.address);
      const found = structured<ApiMessage>(await callTool(client, 'wait_for_message', { address: inbox.address, subject: 'confirm', timeout: 10 }));
      expect(found.codes).toEqual([SIGNUP.code]);

      const refused = await callTool(client, 'get_message', { address: inbox.address, id: 'not-an-id' });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe('This inbox has no message with that id; it may have expired or been deleted. (code message_not_found, status 404)');
    } finally {
      await client.close();
    }
  });

  it('answers a request the server never got with an error naming the URL, and ends when its input ends', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const bridge = bridgeOnStreams(url);
    bridge.input.write(`${JSON.stringify(INITIALIZE)}\n`);
    expect(await bridge.reply()).toMatchObject({
      jsonrpc: '2.0', id: 7, error: { message: expect.stringContaining(`The Ephemail server at ${url}/mcp did not answer: fetch failed (`) },
    });
    bridge.input.end();
    await bridge.done;
  });

  it('relays the server\'s answer unchanged', async () => {
    const bridge = bridgeOnStreams(`${server.httpUrl}/`);
    bridge.input.write(`${JSON.stringify(INITIALIZE)}\n`);
    const direct = await fetch(`${server.httpUrl}/mcp`, {
      method: 'POST', body: JSON.stringify(INITIALIZE),
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    expect(await bridge.reply()).toEqual(await direct.json());
    bridge.input.end();
    await bridge.done;
  });
});
