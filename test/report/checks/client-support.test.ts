import { describe, expect, it } from 'vitest';
import { CLIENT_SUPPORT_HTML_CHARACTERS, emailClientSupport } from '../../../src/report/checks/client-support.js';

describe('email-client-support', () => {
  it('passes table layout with inline styles, the usual body included', () => {
    const html = '<html><body style="margin:0"><table role="presentation"><tr><td style="padding:8px;color:#333;font-family:Arial">Hi</td></tr></table></body></html>';
    expect(emailClientSupport(html)).toMatchObject({ id: 'email-client-support', status: 'pass', penalty: 0, messageCode: 'email-client-support.supported' });
    expect(emailClientSupport(null)).toMatchObject({ status: 'pass', message: 'The message has no HTML.', messageCode: 'email-client-support.no-html' });
  });

  it('warns naming each unsupported feature with its clients grouped, the first three and a count of the rest', () => {
    const html = '<div style="display:grid;position:absolute;z-index:2;background-image:url(a.png)"><video src="a.mp4"></video></div>';
    const check = emailClientSupport(html);
    expect(check).toMatchObject({ status: 'warn', penalty: 0.25 });
    expect(check.message).toMatch(/^5 HTML or CSS features used are not supported by major mail clients: /);
    expect(check.message).toContain('"display:grid" in Gmail (web, Android, iOS), Outlook (Windows, iOS, Android) and Yahoo Mail (web);');
    expect(check.message).toContain('; and 2 more.');
    const features = check.messageValues.features;
    expect(check).toMatchObject({ messageCode: 'email-client-support.unsupported', messageValues: { count: 5 } });
    expect(Array.isArray(features) && features.length).toBe(4);
    expect(features).toContainEqual({
      code: 'email-client-support.feature',
      values: { feature: '"display:grid"', clients: ['Gmail (web, Android, iOS)', 'Outlook (Windows, iOS, Android)', 'Yahoo Mail (web)'] },
    });
    expect(Array.isArray(features) && features.at(-1)).toEqual({ code: 'list.more', values: { count: 2 } });
  });

  it('checks only the first 200 KB of longer HTML and says so', () => {
    const html = `<p style="color:red">${'x'.repeat(CLIENT_SUPPORT_HTML_CHARACTERS)}</p><div style="display:grid"></div>`;
    expect(emailClientSupport(html)).toMatchObject({
      status: 'pass', message: expect.stringContaining('(Only the first 200 KB of the HTML was checked.)'),
      messageCode: 'email-client-support.supported', messageNotes: [{ code: 'email-client-support.partly-checked', values: { kilobytes: 200 } }],
    });
  });

  it('turns a checker that gives up on 40,000 nested elements into info with a sentence', () => {
    const check = emailClientSupport(`${'<div>'.repeat(40_000)}x`);
    expect(check).toMatchObject({
      status: 'info', penalty: 0, message: expect.stringMatching(/^The HTML could not be checked against the caniemail data/),
      messageCode: 'email-client-support.unchecked', messageValues: { reason: expect.stringMatching(/^".+"$/) },
    });
  });

  it('stays bounded on 10,000 style attributes', () => {
    const html = Array.from({ length: 10_000 }, (_, i) => `<span style="color:red;z-index:${i}">x</span>`).join('');
    const check = emailClientSupport(html);
    expect(check.message).toContain('"z-index" in');
    expect(check.message.length).toBeLessThan(600);
  });
});
