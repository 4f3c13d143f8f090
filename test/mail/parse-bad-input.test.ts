import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, type ParsedMessage } from '../../src/mail/parse/parse.js';
import { readFixture, crlf, expectWellFormed } from './parse-support.js';

describe('parseMessage on bad input', () => {
  const emptyMessage: ParsedMessage = {
    subject: '', from: null, to: [], cc: [], replyTo: [], date: null, messageId: null,
    text: '', hasTextPart: false, html: null, attachments: [], links: [], headers: [], problems: [], failed: false,
  };

  it('returns an empty, well-formed result for an empty buffer', async () => {
    const message = await parseMessage(Buffer.alloc(0));
    expect(message).toEqual({ ...emptyMessage, problems: ['The message is empty.'] });
  });

  it('returns a well-formed result for bytes that are not a message', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const message = await parseMessage(garbage);
    expectWellFormed(message);
    expect(message.problems).toContain('The message has no readable headers.');
  });

  it('reports a message the parser gives up on, keeping its subject', async () => {
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const raw = Buffer.concat([
      crlf('From: a@example.test', 'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus', ' der Stadt', 'Content-Type: multipart/mixed; boundary=b', '', ''),
      Buffer.from(`${parts}--b--\r\n`),
    ]);
    const message = await parseMessage(raw);
    expect(message).toEqual({
      ...emptyMessage,
      subject: 'Grüße aus der Stadt',
      problems: ['The message could not be parsed (Max allowed child nodes exceeded).'],
      failed: true,
    });
  });

  it('reads a part with an empty Content-Type as text/plain, as RFC 2045 and Python do', async () => {
    const message = await parseMessage(
      crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type:', '', '<script>', '--b--', ''),
    );
    expect(message.text).toBe('<script>');
    expect(message.attachments).toEqual([]);
    expect(message.problems).toEqual(['1 Content-Type value(s) named no type/subtype; those parts are read as text/plain (RFC 2045, section 5.2).']);
  });

  it('gives a part with an empty Content-Type a safe type inside an enclosed message, which is not repaired', async () => {
    const message = await parseMessage(crlf(
      'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: message/rfc822', 'Content-Disposition: inline', '',
      'Content-Type: multipart/mixed; boundary=c', '', '--c', 'Content-Type:', '', '<script>', '--c--', '--b--', '',
    ));
    expect(message.attachments.map(({ contentType, size }) => ({ contentType, size }))).toEqual([
      { contentType: 'application/octet-stream', size: 8 },
    ]);
  });

  it('reports header lines without a name', async () => {
    const message = await parseMessage(crlf('Subject: ok', ': no name', '', 'body'));
    expect(message.headers).toEqual([{ name: 'subject', value: 'ok' }]);
    expect(message.text).toBe('body');
    expect(message.problems).toEqual(['1 header line(s) had no valid header name and were left out.']);
  });

  it('never rejects and stays well-formed for arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        expectWellFormed(await parseMessage(Buffer.from(bytes)));
      }),
      { numRuns: 150 },
    );
  });

  it('never rejects for a real message cut short or corrupted anywhere', async () => {
    const raw = await readFixture('related-inline-image.eml');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: raw.length }), fc.nat({ max: raw.length - 1 }), fc.nat({ max: 255 }), async (cut, at, byte) => {
        const corrupted = Buffer.from(raw);
        corrupted[at] = byte;
        expectWellFormed(await parseMessage(corrupted.subarray(0, cut)));
      }),
      { numRuns: 150 },
    );
  });
});
