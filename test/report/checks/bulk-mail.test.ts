import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/mail/parse/parse.js';
import { listUnsubscribeOneClick } from '../../../src/report/checks/bulk-mail.js';
import type { Authentication } from '../../../src/report/report.js';
import { authentication, composed, crlf, dkimVerdict } from './check-support.js';

const BOTH = ['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post'];
const ONE_CLICK_HEADERS = { 'List-Unsubscribe': '<https://shop.test/u?id=7>, <mailto:u@shop.test>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };

async function checkOf(headers: Record<string, string>, auth: Authentication, html = '<p>Our new range</p>') {
  const parsed = await composed({ headers, html, text: 'Our new range' });
  return listUnsubscribeOneClick({ headers: parsed.headers, links: parsed.links, authentication: auth });
}

describe('list-unsubscribe-one-click', () => {
  it('is info, costing nothing, for mail that does not look bulk', async () => {
    expect(await checkOf({}, authentication())).toEqual({
      id: 'list-unsubscribe-one-click', status: 'info', penalty: 0,
      message: 'The message does not look like bulk mail, so it needs no one-click unsubscribe.',
      messageCode: 'list-unsubscribe-one-click.not-bulk', messageValues: {}, messageNotes: [],
    });
  });

  it('passes bulk mail with an https List-Unsubscribe, the One-Click post header and a passing DKIM signature over both', async () => {
    expect(await checkOf(ONE_CLICK_HEADERS, authentication([dkimVerdict(BOTH)]))).toMatchObject({
      status: 'pass', penalty: 0,
      messageCode: 'list-unsubscribe-one-click.offered', messageValues: { signal: { code: 'list-unsubscribe-one-click.signal-header', values: {} } },
    });
  });

  it('fails mail with a List-Id and nothing else, naming each of the three requirements', async () => {
    const check = await checkOf({ 'List-Id': '<news.shop.test>' }, authentication());
    expect(check).toMatchObject({ status: 'fail', penalty: 1.5 });
    expect(check.message).toContain('(it has a List-Id header)');
    expect(check.message).toContain('add a List-Unsubscribe header with an https URL');
    expect(check.message).toContain('add the header "List-Unsubscribe-Post: List-Unsubscribe=One-Click"');
    expect(check.message).toContain("list list-unsubscribe and list-unsubscribe-post in the signature's h= tag");
    expect(check).toMatchObject({
      messageCode: 'list-unsubscribe-one-click.missing',
      messageValues: {
        signal: { code: 'list-unsubscribe-one-click.signal-list-id' },
        requirements: ['add-https-url', 'add-post-header', 'sign-headers'].map((name) => ({ code: `list-unsubscribe-one-click.${name}`, values: {} })),
      },
    });
  });

  it('counts an unsubscribe link and Precedence: bulk as bulk signals', async () => {
    const byLink = await checkOf({}, authentication(), '<p>News</p><a href="https://shop.test/prefs">Unsubscribe</a>');
    expect(byLink).toMatchObject({
      status: 'fail', message: expect.stringContaining('(it has an unsubscribe link)'), messageValues: { signal: { code: 'list-unsubscribe-one-click.signal-link' } },
    });
    const byPrecedence = await checkOf({ Precedence: 'bulk' }, authentication());
    expect(byPrecedence).toMatchObject({
      status: 'fail', message: expect.stringContaining('(its Precedence header says bulk or list)'),
      messageValues: { signal: { code: 'list-unsubscribe-one-click.signal-precedence' } },
    });
  });

  it('fails a mailto-only List-Unsubscribe and a signature that leaves List-Unsubscribe-Post out', async () => {
    const headers = { ...ONE_CLICK_HEADERS, 'List-Unsubscribe': '<mailto:u@shop.test>' };
    const check = await checkOf(headers, authentication([dkimVerdict(['from', 'list-unsubscribe'])]));
    expect(check.status).toBe('fail');
    expect(check.message).toContain('https URL');
    expect(check.message).toContain('sign both headers with DKIM');
    expect(check.message).not.toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click"');
  });

  it('fails when the signature covering both headers does not pass, and says when DNS lookups were off', async () => {
    const failing = await checkOf(ONE_CLICK_HEADERS, authentication([dkimVerdict(BOTH, { result: 'fail' })]));
    expect(failing).toMatchObject({
      status: 'fail', message: expect.stringContaining('the signature that covers them does not pass'),
      messageValues: { requirements: [{ code: 'list-unsubscribe-one-click.sign-failing' }] },
    });
    const unverified = await checkOf(ONE_CLICK_HEADERS, authentication([dkimVerdict(BOTH, { result: 'none' })], false));
    expect(unverified).toMatchObject({
      status: 'fail', message: expect.stringContaining('DNS lookups are off'), messageValues: { requirements: [{ code: 'list-unsubscribe-one-click.sign-unverified' }] },
    });
  });

  it('reads a List-Unsubscribe of 100 KB of garbage without an https URL as missing one', async () => {
    const parsed = await parseMessage(crlf('From: a@shop.test', `List-Unsubscribe: ${'<'.repeat(50_000)}${'x>'.repeat(25_000)}`, 'Subject: x', '', 'Hi'));
    const check = listUnsubscribeOneClick({ headers: parsed.headers, links: parsed.links, authentication: authentication() });
    expect(check).toMatchObject({ status: 'fail', message: expect.stringContaining('https URL') });
  });
});
