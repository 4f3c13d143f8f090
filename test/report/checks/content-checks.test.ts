import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/mail/parse/parse.js';
import { contentChecks } from '../../../src/report/checks/content-checks.js';
import { CHECK_PENALTIES } from '../../../src/report/penalties.js';
import { dateHeaderTime } from '../../../src/report/received-header.js';
import { authentication, checkOf, composed, composeRaw, crlf } from './check-support.js';

const IDS = [
  'list-unsubscribe-one-click', 'html-size-clipping', 'text-part', 'image-text-balance', 'image-alt', 'remote-images',
  'link-domain-mismatch', 'url-shortener', 'message-id', 'date', 'risky-attachment', 'total-size', 'email-client-support',
];

describe('contentChecks', () => {
  it('gives a well-formed message with text and HTML one passing check per id, in a fixed order, costing nothing', async () => {
    const raw = await composeRaw({
      text: 'Your sign-in code is 271828. It expires in 15 minutes.',
      html: '<table role="presentation"><tr><td style="font-family:Arial">Your sign-in code is <b>271828</b>. It expires in 15 minutes. <a href="https://shop.test/help">Help</a></td></tr></table>',
    });
    const parsed = await parseMessage(raw);
    const checks = contentChecks({ parsed, rawSize: raw.length, authentication: authentication(), receivedAt: parsed.date ?? 0, sentAt: parsed.date });
    expect(checks.map((check) => check.id)).toEqual(IDS);
    expect(checks.filter((check) => check.status !== 'pass').map(({ id, status }) => ({ id, status }))).toEqual([
      { id: 'list-unsubscribe-one-click', status: 'info' },
    ]);
    expect(checks.every((check) => check.penalty === 0 && check.message.endsWith('.'))).toBe(true);
    expect(Object.fromEntries(checks.map((check) => [check.id, check.messageCode]))).toEqual({
      'list-unsubscribe-one-click': 'list-unsubscribe-one-click.not-bulk', 'html-size-clipping': 'html-size-clipping.ok', 'text-part': 'text-part.alternative',
      'image-text-balance': 'image-text-balance.no-images', 'image-alt': 'image-alt.ok', 'remote-images': 'remote-images.none',
      'link-domain-mismatch': 'link-domain-mismatch.none', 'url-shortener': 'url-shortener.none', 'message-id': 'message-id.ok', date: 'date.ok',
      'risky-attachment': 'risky-attachment.none', 'total-size': 'total-size.ok', 'email-client-support': 'email-client-support.supported',
    });
  });

  it('charges a message with every content problem 8.25 points: each check its worst status, a warning half its penalty', async () => {
    const zip = await readFile(new URL('../../fixtures/report/script-inside.zip', import.meta.url));
    const images = Array.from({ length: 5 }, (_, i) => `<img src="https://cdn.shop.test/${i}.png">`).join('');
    const html = `<div style="display:grid">${images}<a href="https://evil.test/login">www.bank.test</a> <a href="https://bit.ly/x">Unsubscribe</a></div><!--${'x'.repeat(110 * 1024)}-->`;
    const raw = await composeRaw({ html, attachments: [{ filename: 'invoice.pdf.exe', content: 'MZ' }, { filename: 'files.zip', content: zip }] });
    // Neither Message-ID nor Date: the header block is cut above them.
    const withoutIds = Buffer.from(raw.toString('latin1').replace(/^(?:Message-ID|Date):.*\r\n/gim, ''), 'latin1');
    const parsed = await parseMessage(withoutIds);
    const checks = contentChecks({ parsed, rawSize: 21 * 1024 * 1024, authentication: authentication(), receivedAt: Date.now(), sentAt: dateHeaderTime(parsed.headers) });
    expect(Object.fromEntries(checks.map((check) => [check.id, check.status]))).toEqual({
      'list-unsubscribe-one-click': 'fail', 'html-size-clipping': 'fail', 'text-part': 'fail', 'image-text-balance': 'warn',
      'image-alt': 'warn', 'remote-images': 'info', 'link-domain-mismatch': 'fail', 'url-shortener': 'warn', 'message-id': 'fail',
      date: 'fail', 'risky-attachment': 'fail', 'total-size': 'fail', 'email-client-support': 'warn',
    });
    expect(Object.fromEntries(checks.map((check) => [check.id, check.messageCode]))).toEqual({
      'list-unsubscribe-one-click': 'list-unsubscribe-one-click.missing', 'html-size-clipping': 'html-size-clipping.clipped', 'text-part': 'text-part.missing',
      'image-text-balance': 'image-text-balance.mostly-images', 'image-alt': 'image-alt.missing', 'remote-images': 'remote-images.found',
      'link-domain-mismatch': 'link-domain-mismatch.found', 'url-shortener': 'url-shortener.found', 'message-id': 'message-id.missing', date: 'date.missing',
      'risky-attachment': 'risky-attachment.found', 'total-size': 'total-size.too-big', 'email-client-support': 'email-client-support.unsupported',
    });
    for (const check of checks) {
      const full = CHECK_PENALTIES[check.id as keyof typeof CHECK_PENALTIES];
      expect(check.penalty, check.id).toBe({ fail: full, warn: full / 2, info: 0, pass: 0 }[check.status]);
    }
    expect(checks.reduce((sum, check) => sum + check.penalty, 0)).toBe(8.25);
  });

  it('runs on a message the parser could not read, finding what is missing', async () => {
    const parts = Array.from({ length: 1100 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const raw = Buffer.concat([crlf('Subject: x', 'Content-Type: multipart/mixed; boundary=b', '', ''), Buffer.from(`${parts}--b--\r\n`)]);
    const parsed = await parseMessage(raw);
    expect(parsed.failed).toBe(true);
    const checks = contentChecks({ parsed, rawSize: raw.length, authentication: authentication(), receivedAt: 0, sentAt: dateHeaderTime(parsed.headers) });
    expect(checks.map((check) => check.id)).toEqual(IDS);
    expect(checkOf(checks, 'message-id').status).toBe('fail');
  });

  it('stays quick and bounded on a composed newsletter of 20,000 links', async () => {
    const links = Array.from({ length: 20_000 }, (_, i) => `<a href="https://shop.test/p/${i}">Product ${i}</a>`).join(' ');
    const parsed = await composed({ text: 'Products', html: links });
    const checks = contentChecks({ parsed, rawSize: 1, authentication: authentication(), receivedAt: parsed.date ?? 0, sentAt: parsed.date });
    expect(checkOf(checks, 'link-domain-mismatch')).toMatchObject({ status: 'pass', message: expect.stringContaining('were read') });
    expect(checks.every((check) => check.message.length < 1000)).toBe(true);
  });
});
