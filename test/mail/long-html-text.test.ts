/**
 * Text derived from HTML longer than HTML_CONVERTED_CHARACTERS, or beside
 * other text: by the full parse, and the same by the lean digest. HTML beside
 * other text gave it its converted text until 2026-12 (issue 19): now it
 * gives none at any length, in both paths alike, as it gave none when longer.
 */
import { describe, expect, it } from 'vitest';
import { HTML_CONVERTED_CHARACTERS, htmlAsText } from '../../src/mail/parse/html-as-text.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { digestMessage } from '../../src/mail/read/digest.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';

const CRLF = '\r\n';
const CODE_LINE = '<p>Your verification code is 482913</p>';
const LATE_LINE = '<p>Written past the converted start</p>';
const FILLER_LINE = '<p>Filler paragraph</p>';

/** HTML of exactly `characters` characters once parsed (CRLF read as LF): the code, filler, then LATE_LINE. */
function htmlOf(characters: number): string {
  const lines = Math.floor((characters - CODE_LINE.length - LATE_LINE.length) / (FILLER_LINE.length + 1)) - 1;
  const filled = CODE_LINE.length + 1 + lines * (FILLER_LINE.length + 1) + LATE_LINE.length;
  return [CODE_LINE, ...Array.from({ length: lines }, () => FILLER_LINE), `${' '.repeat(characters - filled)}${LATE_LINE}`].join(CRLF);
}

function mail(contentType: string, body: string): Buffer {
  return Buffer.from(['From: a@example.com', 'Subject: long html', `Content-Type: ${contentType}`, '', body].join(CRLF));
}

function part(contentType: string, body: string): string {
  return [`Content-Type: ${contentType}`, '', body].join(CRLF);
}

async function expectSameDigest(raw: Buffer): Promise<void> {
  expect(await leanDigest(raw)).toStrictEqual(digestMessage(await parseMessage(raw)));
}

describe('text from HTML longer than HTML_CONVERTED_CHARACTERS', () => {
  it('is that of the first HTML_CONVERTED_CHARACTERS for HTML-only mail, and the problems say so', async () => {
    const raw = mail('text/html; charset=utf-8', htmlOf(3 * HTML_CONVERTED_CHARACTERS));
    const parsed = await parseMessage(raw);
    expect(parsed.html).toHaveLength(3 * HTML_CONVERTED_CHARACTERS);
    expect(parsed.html?.endsWith(LATE_LINE)).toBe(true);
    expect(parsed.text).toBe(htmlAsText(parsed.html!.slice(0, HTML_CONVERTED_CHARACTERS)).text);
    expect(parsed.text).toMatch(/^Your verification code is 482913\n\nFiller paragraph\n\n/);
    expect(parsed.text).not.toContain('Written past');
    expect(parsed.problems).toEqual([
      `The HTML is ${3 * HTML_CONVERTED_CHARACTERS} characters long; the text is derived from its first ${HTML_CONVERTED_CHARACTERS} only (the raw message has all of it).`,
    ]);
    expect(digestMessage(parsed).codes).toEqual(['482913']);
    await expectSameDigest(raw);
  });

  it('is that of the whole HTML up to HTML_CONVERTED_CHARACTERS, with no problem', async () => {
    const raw = mail('text/html; charset=utf-8', htmlOf(HTML_CONVERTED_CHARACTERS));
    const parsed = await parseMessage(raw);
    expect(parsed.html).toHaveLength(HTML_CONVERTED_CHARACTERS);
    expect(parsed.text).toMatch(/^Your verification code is 482913\n\n.*\n\nWritten past the converted start$/s);
    expect(parsed.problems).toEqual([]);
    await expectSameDigest(raw);
  });

  it('reads nothing after the converted start, even when the start holds no text', async () => {
    const html = `<html><body><!--${'x'.repeat(HTML_CONVERTED_CHARACTERS)}--><p>Your verification code is 482913</p></body></html>`;
    const raw = mail('text/html; charset=utf-8', html);
    const parsed = await parseMessage(raw);
    expect(parsed.text).toBe('');
    expect(digestMessage(parsed)).toMatchObject({ preview: '', codes: [] });
    await expectSameDigest(raw);
  });

  it('leaves HTML beside other text without text, short or long, base64 or not', async () => {
    for (const html of [CODE_LINE, htmlOf(2 * HTML_CONVERTED_CHARACTERS)]) {
      for (const [encoding, body] of [['8bit', html], ['base64', Buffer.from(html).toString('base64').replace(/.{76}/g, `$&${CRLF}`)]] as const) {
        const raw = mail('multipart/mixed; boundary="m"', [
          '--m', part('text/plain', 'Hello from the text part'),
          '--m', `Content-Transfer-Encoding: ${encoding}`, part('text/html', body), '--m--', '',
        ].join(CRLF));
        const parsed = await parseMessage(raw);
        expect(parsed.text).toBe('Hello from the text part\n');
        expect(parsed.problems).toEqual([]);
        await expectSameDigest(raw);
      }
    }
  });

  it('is that of the start of all the HTML when the only text would come from one long part beside others', async () => {
    // An empty text part makes the HTML outside the alternative give text; the alternative's HTML gives none.
    const raw = mail('multipart/mixed; boundary="m"', [
      '--m', 'Content-Type: text/plain', '',
      '--m', part('multipart/alternative; boundary="a"', ['--a', part('text/html', '<p>From the alternative: code 775533</p>'), '--a--', ''].join(CRLF)),
      '--m', part('text/html', htmlOf(2 * HTML_CONVERTED_CHARACTERS)), '--m--', '',
    ].join(CRLF));
    const parsed = await parseMessage(raw);
    expect(parsed.text).toBe(htmlAsText(parsed.html!.slice(0, HTML_CONVERTED_CHARACTERS)).text);
    expect(parsed.text).toMatch(/^From the alternative: code 775533\n+Your verification code is 482913\n/);
    await expectSameDigest(raw);
  });
});
