import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { parseMessage, type ParsedMessage } from '../../src/mail/parse/parse.js';

/** Fixtures and shape checks shared by the parser's tests. */

export function readFixture(name: string): Promise<Buffer> {
  return readFile(new URL(`../fixtures/mail/${name}`, import.meta.url));
}

export async function parseFixture(name: string): Promise<ParsedMessage> {
  return parseMessage(await readFixture(name));
}

export function crlf(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export function headerValues(message: ParsedMessage, name: string): string[] {
  return message.headers.filter((header) => header.name === name).map((header) => header.value);
}

const mailboxShape = { name: expect.any(String), address: expect.any(String) };

/** Asserts the shape promised by ParsedMessage, whatever the content. */
export function expectWellFormed(message: ParsedMessage): void {
  const nullOr = (value: unknown, shape: unknown): unknown => (value === null ? null : shape);
  expect(message).toEqual({
    subject: expect.any(String),
    from: nullOr(message.from, mailboxShape),
    to: message.to.map(() => mailboxShape),
    cc: message.cc.map(() => mailboxShape),
    replyTo: message.replyTo.map(() => mailboxShape),
    date: nullOr(message.date, expect.any(Number)),
    messageId: nullOr(message.messageId, expect.any(String)),
    text: expect.any(String),
    hasTextPart: expect.any(Boolean),
    html: nullOr(message.html, expect.any(String)),
    links: message.links.map((link) => ({ url: expect.stringMatching(/^https?:\/\//i), text: nullOr(link.text, expect.any(String)), action: expect.any(Boolean) })),
    attachments: message.attachments.map((attachment) => ({
      filename: nullOr(attachment.filename, expect.any(String)),
      contentType: expect.any(String),
      size: attachment.content.length,
      contentId: nullOr(attachment.contentId, expect.any(String)),
      inline: expect.any(Boolean),
      content: expect.any(Buffer),
    })),
    headers: message.headers.map(() => ({ name: expect.stringMatching(/^[\x21-\x39\x3b-\x7e]+$/), value: expect.any(String) })),
    problems: message.problems.map(() => expect.any(String)),
    failed: expect.any(Boolean),
  });
}
