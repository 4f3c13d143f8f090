import { describe, expect, it } from 'vitest';
import { readingCopy } from '../../src/mail/parse/reading-copy.js';
import { crlf, readFixture } from './parse-support.js';

const text = (bytes: Buffer): string => bytes.toString('latin1');

describe('readingCopy', () => {
  it('is the message itself when nothing needs repair', async () => {
    for (const raw of [await readFixture('related-inline-image.eml'), await readFixture('attachment-rfc2231.eml'), crlf('Subject: s', '', 'body')]) {
      const copy = readingCopy(raw);
      expect(copy.bytes).toBe(raw);
      expect(copy).toMatchObject({ unseparated: 0, untyped: 0 });
    }
  });

  it('ends the header block at the first line that is not a header field, in the line ending of that line', () => {
    expect(text(readingCopy(crlf('Subject: s', 'From: a@b.test', 'first line', 'second', '', 'third')).bytes))
      .toBe('Subject: s\r\nFrom: a@b.test\r\n\r\nfirst line\r\nsecond\r\n\r\nthird');
    expect(text(readingCopy(Buffer.from('Subject: s\nfirst line\n')).bytes)).toBe('Subject: s\n\nfirst line\n');
    expect(readingCopy(crlf('Subject: s', 'first line')).unseparated).toBe(1);
  });

  it('reads a message without headers as all body, its header block empty', () => {
    const copy = readingCopy(crlf('Your code is 118204.', '', 'Thanks'));
    expect(text(copy.bytes)).toBe('\r\nYour code is 118204.\r\n\r\nThanks');
    expect(copy.header.length).toBe(0);
    expect(copy.unseparated).toBe(0);
  });

  it('keeps continuations, mbox envelope lines, empty names and a blank before the colon in the header block', () => {
    const raw = crlf('From sender@example.org Thu Jul 10 08:00:00 2025', 'Subject: a', '\tfolded', 'X-Empty:', ': nameless', 'Subject : obsolete syntax', '', 'body');
    expect(readingCopy(raw).bytes).toBe(raw);
  });

  it('takes a line with a blank inside the name, or a byte outside ASCII, for the body, as Python does', () => {
    expect(text(readingCopy(crlf('Subject: s', 'Dear user: hello', '')).bytes)).toBe('Subject: s\r\n\r\nDear user: hello\r\n');
    expect(readingCopy(Buffer.from('Subject: s\r\nX-\xe9: y\r\n', 'latin1')).unseparated).toBe(1);
  });

  it('writes a Content-Type without type/subtype as text/plain, its parameters kept, and leaves the header block as received', () => {
    const raw = crlf('Subject: s', 'Content-Type: text; charset=iso-8859-1', '', 'body');
    const copy = readingCopy(raw);
    expect(text(copy.bytes)).toBe('Subject: s\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nbody');
    expect(text(copy.header)).toBe('Subject: s\r\nContent-Type: text; charset=iso-8859-1\r\n');
    expect(copy.untyped).toBe(1);
    for (const value of ['', ' ', ' text', ' TEXT (plain)', ' text/plain/x', ' multipart; boundary=b']) {
      expect(text(readingCopy(crlf(`Content-Type:${value}`, '', 'body')).bytes), value).toMatch(/^Content-Type: text\/plain(;|\r\n)/);
    }
    expect(readingCopy(crlf('Content-Type: (a comment) text/plain', '', 'body')).untyped).toBe(0);
  });

  it('repairs the header blocks of parts, found by the delimiters of every enclosing multipart', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=outer', '', '--outer', 'Content-Type: multipart/alternative; boundary="inner"', '',
      '--inner', 'Content-Type: text/plain', 'first part', '--inner', 'Content-Type: text', '', 'second part',
      // The outer delimiter ends the inner multipart too.
      '--outer', 'Content-Type: text/plain', 'third part', '--outer--', '--inner', 'no part any more', '',
    );
    const copy = readingCopy(raw);
    expect(text(copy.bytes)).toBe(text(crlf(
      'Content-Type: multipart/mixed; boundary=outer', '', '--outer', 'Content-Type: multipart/alternative; boundary="inner"', '',
      '--inner', 'Content-Type: text/plain', '', 'first part', '--inner', 'Content-Type: text/plain', '', 'second part',
      '--outer', 'Content-Type: text/plain', '', 'third part', '--outer--', '--inner', 'no part any more', '',
    )));
    expect(copy).toMatchObject({ unseparated: 2, untyped: 1 });
  });

  it('leaves the bodies of parts alone, an attached message\'s included', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=b', '', 'a preamble line', '--b', 'Content-Type: message/rfc822', '',
      'Subject: enclosed', 'no colon in the enclosed header block', '', '--b--', 'an epilogue line', '--b', 'still epilogue', '',
    );
    expect(readingCopy(raw).bytes).toBe(raw);
  });

  it('reads no further than the 1,000 MIME parts mailsplit parses at most', () => {
    const part = crlf('--b', 'Content-Type: text/plain', 'body', '');
    const raw = Buffer.concat([crlf('Content-Type: multipart/mixed; boundary=b', '', ''), ...Array.from({ length: 1100 }, () => part)]);
    // The message itself and 999 parts.
    expect(readingCopy(raw).unseparated).toBe(999);
  });

  it('marks a message that is one enclosed message inline, unless it says how it is disposed', () => {
    expect(text(readingCopy(crlf('Subject: fwd', 'Content-Type: message/rfc822', '', 'Subject: inner', '', 'text')).bytes))
      .toBe('Subject: fwd\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\nSubject: inner\r\n\r\ntext');
    const attached = crlf('Content-Type: message/rfc822', 'Content-Disposition: attachment', '', 'Subject: inner', '', 'text');
    expect(readingCopy(attached).bytes).toBe(attached);
  });
});
