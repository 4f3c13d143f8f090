import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mailer } from '../support/mailer.js';
import type { TestServer } from '../support/test-server.js';

/** Verification mail as a sign-up sends it: a code and an action link. */
export const SIGNUP = {
  subject: 'Confirm your Acme account',
  code: '482913',
  link: 'https://app.acme.example/verify?token=Zq81xT4m',
};

/** The official SDK client, connected over Streamable HTTP to the server's /mcp. */
export async function httpClient(server: TestServer): Promise<Client> {
  const client = new Client({ name: 'ephemail-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.httpUrl}/mcp`)));
  return client;
}

/** Sends the sign-up mail over real SMTP; resolves once the server has answered 250. */
export async function sendSignup(server: TestServer, to: string): Promise<void> {
  const transport = mailer(server.smtpPort);
  try {
    await transport.sendMail({
      from: 'Acme <no-reply@acme.example>', to, subject: SIGNUP.subject,
      text: `Your confirmation code is ${SIGNUP.code}.\n\nVerify my email address: ${SIGNUP.link}`,
    });
  } finally {
    transport.close();
  }
}

/** A tool call's answer, as the SDK's client returns it. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured content of a successful call, after checking the text says the same. */
export function structured<T>(result: CallToolResult): T {
  if (result.isError === true) throw new Error(`tool error: ${textOf(result)}`);
  const [content] = result.content;
  if (content?.type !== 'text' || JSON.stringify(JSON.parse(content.text)) !== JSON.stringify(result.structuredContent)) {
    throw new Error('the text content is not the structured content as JSON');
  }
  return result.structuredContent as T;
}

/** The text of a result's first content. */
export function textOf(result: CallToolResult): string {
  const [content] = result.content;
  return content?.type === 'text' ? content.text : '';
}
