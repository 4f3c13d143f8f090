import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode, isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PATH } from '../http/mcp/mcp-path.js';

/** Where the bridge relays to, and the streams it speaks on (stdin and stdout unless given). */
export interface StdioBridgeOptions {
  /** The Ephemail server, such as `http://127.0.0.1:8080`. */
  url: string;
  input?: Readable;
  output?: Writable;
}

/**
 * MCP over stdio for clients that speak nothing else: a relay of JSON-RPC
 * messages, unchanged, between stdio and the server's /mcp. A relay rather
 * than a proxy server: the tools, their descriptions and their answers stay
 * the server's own, whatever its version. Resolves when the input ends.
 */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  // Appended, not resolved: a server behind a proxy may live under a path of its own.
  const endpoint = new URL(`${options.url.replace(/\/+$/, '')}${MCP_PATH}`);
  const local = new StdioServerTransport(options.input, options.output);
  const remote = new StreamableHTTPClientTransport(endpoint);
  local.onmessage = (message) => {
    remote.send(message).catch((error: unknown) => answerUnsent(local, message, endpoint, error));
  };
  remote.onmessage = (message) => {
    void local.send(message);
  };
  const input = options.input ?? process.stdin;
  const ended = new Promise<void>((resolve) => {
    input.once('end', resolve);
    input.once('close', resolve);
  });
  await remote.start();
  await local.start();
  await ended;
  await Promise.all([local.close(), remote.close()]);
}

/** A request the server never got is answered here, so the client hears why instead of waiting forever. */
function answerUnsent(local: StdioServerTransport, message: JSONRPCMessage, endpoint: URL, error: unknown): void {
  if (!isJSONRPCRequest(message)) return;
  // fetch says only "fetch failed"; its cause says why (ECONNREFUSED…).
  const reason = !(error instanceof Error) ? String(error)
    : error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
  void local.send({
    jsonrpc: '2.0', id: message.id,
    error: { code: ErrorCode.ConnectionClosed, message: `The Ephemail server at ${endpoint.href} did not answer: ${reason}` },
  });
}
