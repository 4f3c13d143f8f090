import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/mail/parse/parse.js';
import { dateCheck, messageIdCheck } from '../../../src/report/checks/header-checks.js';
import { dateHeaderTime } from '../../../src/report/received-header.js';
import { composed, crlf } from './check-support.js';

const DAY = 24 * 60 * 60 * 1000;
const parse = (...headers: string[]) => parseMessage(crlf(...headers, 'Subject: x', '', 'Hi'));

describe('message-id', () => {
  it('passes the Message-ID nodemailer writes', async () => {
    expect(messageIdCheck((await composed({ text: 'Hi' })).headers)).toMatchObject({ id: 'message-id', status: 'pass', penalty: 0, messageCode: 'message-id.ok' });
  });

  it('fails a message without one and warns about one that is not <left@right>, quoting it', async () => {
    expect(messageIdCheck((await parse('From: a@shop.test')).headers)).toMatchObject({
      status: 'fail', penalty: 0.5, message: expect.stringContaining('no Message-ID header'), messageCode: 'message-id.missing', messageValues: {},
    });
    expect(messageIdCheck((await parse('Message-ID: 12345')).headers)).toMatchObject({
      status: 'warn', penalty: 0.25, message: 'The Message-ID "12345" is not of the form <unique-id@your-domain>; write it that way.',
      messageCode: 'message-id.malformed', messageValues: { header: '"12345"' },
    });
  });

  it('cuts a 100 KB Message-ID to 80 characters in its finding', async () => {
    const check = messageIdCheck((await parse(`Message-ID: ${'\u202e'}${'x'.repeat(100_000)}`)).headers);
    expect(check.status).toBe('warn');
    expect(check.message).toContain(`"${'x'.repeat(79)}…"`);
    expect(check.message).not.toContain('\u202e');
  });
});

describe('date', () => {
  it('passes a Date within a day of arrival, either way', async () => {
    const parsed = await parse('Date: Thu, 04 Dec 2025 10:00:00 +0000');
    expect(dateCheck(parsed.headers, dateHeaderTime(parsed.headers), Date.UTC(2025, 11, 4, 10, 0) + DAY - 1)).toMatchObject({ id: 'date', status: 'pass', penalty: 0, messageCode: 'date.ok' });
    expect(dateCheck(parsed.headers, dateHeaderTime(parsed.headers), Date.UTC(2025, 11, 4, 10, 0) - DAY + 1).status).toBe('pass');
  });

  it('fails a missing or unreadable Date, quoting it', async () => {
    const missing = await parse('From: a@shop.test');
    expect(dateCheck(missing.headers, dateHeaderTime(missing.headers), 0)).toMatchObject({
      status: 'fail', penalty: 0.5, message: expect.stringContaining('no Date header'), messageCode: 'date.missing',
    });
    const garbage = await parse('Date: 0000-00-00 00:00:00');
    expect(dateCheck(garbage.headers, dateHeaderTime(garbage.headers), 0)).toMatchObject({
      status: 'fail', message: expect.stringContaining('"0000-00-00 00:00:00" is not a readable date'),
      messageCode: 'date.unreadable', messageValues: { header: '"0000-00-00 00:00:00"' },
    });
    // Date.parse would read it as the year 2001.
    const loose = await parse('Date: 1');
    expect(dateCheck(loose.headers, dateHeaderTime(loose.headers), 0)).toMatchObject({ status: 'fail', message: expect.stringContaining('"1" is not a readable date') });
  });

  it('warns about a Date more than a day before or after arrival, saying how far', async () => {
    const parsed = await parse('Date: Thu, 04 Dec 2025 10:00:00 +0000');
    const sent = Date.UTC(2025, 11, 4, 10, 0);
    expect(dateCheck(parsed.headers, dateHeaderTime(parsed.headers), sent + 3 * DAY)).toMatchObject({
      status: 'warn', penalty: 0.25, message: expect.stringContaining('3.0 days before the message arrived'),
      messageCode: 'date.before-arrival', messageValues: { header: '"Thu, 04 Dec 2025 10:00:00 +0000"', seconds: 3 * 86_400 },
    });
    expect(dateCheck(parsed.headers, dateHeaderTime(parsed.headers), sent - 2.5 * DAY)).toMatchObject({
      message: expect.stringContaining('2.5 days after the message arrived'), messageCode: 'date.after-arrival', messageValues: { seconds: 2.5 * 86_400 },
    });
  });
});
