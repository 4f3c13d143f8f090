import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/mail/parse/parse.js';
import { htmlSizeClipping, textPart, totalSize } from '../../../src/report/checks/body-checks.js';
import { composed, crlf } from './check-support.js';

describe('text-part', () => {
  it('fails HTML-only mail, although its text is derived from the HTML', async () => {
    const parsed = await composed({ html: '<p>Your code is 1234</p>' });
    expect(parsed.text).toContain('Your code is 1234');
    expect(textPart(parsed)).toMatchObject({ id: 'text-part', status: 'fail', penalty: 1, message: expect.stringContaining('no plain-text part'), messageCode: 'text-part.missing' });
  });

  it('passes HTML with a text alternative and plain-text mail', async () => {
    expect(textPart(await composed({ html: '<p>Hi</p>', text: 'Hi' }))).toMatchObject({ status: 'pass', penalty: 0, messageCode: 'text-part.alternative' });
    expect(textPart(await composed({ text: 'Hi' }))).toMatchObject({ status: 'pass', message: 'The message is plain text.', messageCode: 'text-part.plain-text' });
  });

  it('fails a blank text/plain part beside the HTML', async () => {
    const parsed = await parseMessage(crlf(
      'Content-Type: multipart/alternative; boundary=b', '',
      '--b', 'Content-Type: text/plain', '', '  ', '--b', 'Content-Type: text/html', '', '<p>Hi</p>', '--b--', '',
    ));
    expect(textPart(parsed).status).toBe('fail');
  });
});

describe('html-size-clipping', () => {
  it('counts UTF-8 bytes: 60,000 "é" are 117.2 KB and fail, naming the size', async () => {
    const parsed = await composed({ text: 'x', html: `<p>${'é'.repeat(60_000)}</p>` });
    expect(htmlSizeClipping(parsed.html)).toMatchObject({
      status: 'fail', penalty: 0.5, message: expect.stringContaining('The HTML is 117.2 KB (120,007 bytes); Gmail clips HTML over 102 KB'),
      messageCode: 'html-size-clipping.clipped', messageValues: { bytes: 120_007 },
    });
  });

  it('warns over 90 KB, passes below, and passes mail without HTML', () => {
    expect(htmlSizeClipping('x'.repeat(95 * 1024))).toMatchObject({
      status: 'warn', penalty: 0.25, message: expect.stringContaining('95.0 KB'), messageCode: 'html-size-clipping.near-limit', messageValues: { bytes: 95 * 1024 },
    });
    expect(htmlSizeClipping('x'.repeat(102 * 1024))).toMatchObject({ status: 'warn' });
    expect(htmlSizeClipping('x'.repeat(102 * 1024 + 1))).toMatchObject({ status: 'fail' });
    expect(htmlSizeClipping('<p>short</p>')).toMatchObject({ status: 'pass', messageCode: 'html-size-clipping.ok', messageValues: { bytes: 12 } });
    expect(htmlSizeClipping(null)).toMatchObject({ status: 'pass', message: 'The message has no HTML.', messageCode: 'html-size-clipping.no-html' });
  });
});

describe('total-size', () => {
  it('passes up to 10 MB, warns above, fails above 20 MB, naming the size and the limit', () => {
    const mb = 1024 * 1024;
    expect(totalSize(10 * mb)).toMatchObject({ status: 'pass', messageCode: 'total-size.ok', messageValues: { bytes: 10 * mb } });
    expect(totalSize(10 * mb + 1)).toMatchObject({
      status: 'warn', penalty: 0.25, message: expect.stringContaining('some providers refuse mail over 10 MB'), messageCode: 'total-size.big',
    });
    expect(totalSize(25 * mb)).toMatchObject({
      status: 'fail', penalty: 0.5, message: expect.stringContaining('The message is 25.0 MB (26,214,400 bytes); many providers refuse mail over 20 to 25 MB'),
      messageCode: 'total-size.too-big', messageValues: { bytes: 25 * mb },
    });
  });
});
