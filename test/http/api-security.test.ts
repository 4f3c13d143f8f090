import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, rawMessage } from '../support/http-app.js';
import { mailer } from '../support/mailer.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Json = Record<string, unknown>;

const HOSTILE = readFileSync(new URL('../fixtures/api/hostile.html', import.meta.url), 'utf8');
const INBOX = 'target@ephemail.test';

/** Markup and words that must never reach the sanitised document. */
const FORBIDDEN = [
  /<script/i, /onerror/i, /onload/i, /onclick/i, /javascript:/i, /<svg/i, /<iframe/i, /<form/i, /<input/i,
  /http-equiv/i, /refresh/i, /<base/i, /<object/i, /<embed/i, /evil\.example/i, /document\.cookie/i,
];

/** An HTML message with one inline image, so cid: has something to point at. */
function htmlMessage(html: string): string {
  return [
    'From: attacker@evil.example', `To: ${INBOX}`, 'Subject: hostile', 'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"', '',
    '--rel', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '',
    Buffer.from(html).toString('base64').replace(/.{76}/g, '$&\r\n'), '',
    '--rel', 'Content-Type: image/gif', 'Content-ID: <logo@hostile.example>', 'Content-Transfer-Encoding: base64', '',
    'R0lGODlhAQABAAAAACw=', '', '--rel--', '',
  ].join('\r\n');
}

async function deliverOne(raw: string, recipients = [INBOX]) {
  const test = buildTestApp();
  const [summary] = await test.deliver(raw, recipients);
  if (summary === undefined) throw new Error('nothing stored');
  return { ...test, base: `/api/inboxes/${encodeURIComponent(summary.inbox)}/messages/${summary.id}` };
}

describe('the html route never serves active content', () => {
  it('strips every vector of the hostile fixture and keeps the harmless parts', async () => {
    const { app, base } = await deliverOne(htmlMessage(HOSTILE));
    const response = await app.request(`${base}/html`);
    expect(response.status).toBe(200);
    const document = await response.text();
    for (const pattern of FORBIDDEN) expect(document, String(pattern)).not.toMatch(pattern);
    expect(document).toContain('Hello from a hostile sender.');
    expect(document).toContain(`src="${base}/attachments/0"`);
    expect(document).toContain('<a href="https://shop.example/verify?token=abc" target="_blank" rel="noopener noreferrer">');
    expect(response.headers.get('x-blocked-remote-content')).toBe('1');
    // Even with remote content allowed, only images and styles may load, never active content.
    const remote = await (await app.request(`${base}/html?remote=1`)).text();
    for (const pattern of FORBIDDEN.filter((p) => !String(p).includes('evil'))) expect(remote, String(pattern)).not.toMatch(pattern);
  });

  it.each([
    ['script', '<p>x</p><script>alert(1)</script>'],
    ['onerror', '<img src="x" onerror="alert(1)">'],
    ['javascript: link', '<a href="javascript:alert(1)">go</a>'],
    ['entity-encoded javascript:', '<a href="&#106;avascript&#58;alert(1)">go</a>'],
    ['svg onload', '<svg onload="alert(1)"><rect/></svg>'],
    ['iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['form', '<form action="https://evil.example/"><input name="p"></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
    ['base href', '<base href="https://evil.example/"><a href="page">rel</a>'],
    ['object and embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ])('drops %s', async (_name, html) => {
    const { app, base } = await deliverOne(htmlMessage(`<html><body><p>ok</p>${html}</body></html>`));
    const document = await (await app.request(`${base}/html`)).text();
    for (const pattern of FORBIDDEN) expect(document, String(pattern)).not.toMatch(pattern);
    expect(document).toContain('<p>ok</p>');
  });
});

describe('security headers on message resources', () => {
  it('sends an inert, sandboxed policy with nosniff and no referrer', async () => {
    const raw = htmlMessage('<p>hi</p><img src="cid:logo@hostile.example">');
    const { app, base } = await deliverOne(raw);
    for (const suffix of ['/html', '/html?remote=1', '/text', '/raw', '/attachments/0']) {
      const response = await app.request(`${base}${suffix}`);
      expect(response.status, suffix).toBe(200);
      const directives = (response.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
      expect(directives, suffix).toContain("default-src 'none'");
      expect(directives.join(' '), suffix).not.toContain('allow-scripts');
      // Only the message document is same-origin, so the page can size its frame; with no script, nothing in it can use that.
      const sandbox = directives.find((d) => d === 'sandbox' || d.startsWith('sandbox '));
      expect(sandbox, suffix).toBe(suffix.startsWith('/html') ? 'sandbox allow-popups allow-popups-to-escape-sandbox allow-same-origin' : 'sandbox');
      expect(response.headers.get('x-content-type-options'), suffix).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), suffix).toBe('no-referrer');
    }
    const html = await app.request(`${base}/html`);
    const images = (html.headers.get('content-security-policy') ?? '').split(';').find((d) => d.trim().startsWith('img-src'));
    expect(images?.trim()).toBe("img-src 'self' data:");
    expect(await html.text()).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('serves a text/html attachment as a download, never as a page', async () => {
    const raw = [
      'From: a@evil.example', `To: ${INBOX}`, 'Subject: page', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"', '',
      '--m', 'Content-Type: text/plain', '', 'see attached', '',
      '--m', 'Content-Type: text/html; name="page.html"', 'Content-Disposition: attachment; filename="page.html"', '',
      '<script>alert(document.domain)</script>', '', '--m--', '',
    ].join('\r\n');
    const { app, base } = await deliverOne(raw);
    const response = await app.request(`${base}/attachments/0`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; sandbox(;|$)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('hostile attachment file names', () => {
  const NAMES: Array<[string, string]> = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system.ini', 'system.ini'],
    ['evil\u202Egpj.exe', 'evilgpj.exe'],
    ['\u2066invoice\u2069.pdf', 'invoice.pdf'],
    ['say "hi".txt', 'say "hi".txt'],
    ['evil\r\nSet-Cookie: a=1.txt', 'evilSet-Cookie: a=1.txt'],
    ["it's (1); x*.txt", "it's (1); x*.txt"],
    ['..', 'attachment-7'],
    [`${'a'.repeat(199)}\u{1F600}.png`, `${'a'.repeat(199)}\u{1F600}`],
    ['Résumé ünïcode.pdf', 'Résumé ünïcode.pdf'],
  ];

  function withAttachments(names: string[]): string {
    const parts = names.flatMap((name) => [
      '--m', 'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename*=utf-8''${encodeURIComponent(name).replace(/'/g, '%27')}`,
      'Content-Transfer-Encoding: base64', '', Buffer.from('payload').toString('base64'), '',
    ]);
    return [
      'From: a@evil.example', `To: ${INBOX}`, 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"', '',
      '--m', 'Content-Type: text/plain', '', 'files attached', '', ...parts, '--m--', '',
    ].join('\r\n');
  }

  it('keep the names as data in JSON and never let them break the Content-Disposition header', async () => {
    const { app, base } = await deliverOne(withAttachments(NAMES.map(([name]) => name)));
    const message = (await (await app.request(base)).json()) as { attachments: Json[] };
    expect(message.attachments.map((attachment) => attachment.filename)).toEqual(NAMES.map(([name]) => name));
    for (const [index, [name, expected]] of NAMES.entries()) {
      const response = await app.request(`${base}/attachments/${index}`);
      expect(response.status, name).toBe(200);
      expect(await response.text()).toBe('payload');
      const header = response.headers.get('content-disposition') ?? '';
      const match = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$/.exec(header);
      expect(match, `${name}: ${header}`).not.toBeNull();
      const [, ascii = '', encoded = ''] = match ?? [];
      expect(ascii, name).not.toMatch(/["\\/]/);
      expect(decodeURIComponent(encoded), name).toBe(expected);
      expect(decodeURIComponent(encoded)).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('survive names that decode to half a UTF-16 surrogate pair', async () => {
    const raw = [
      'From: a@evil.example', `To: ${INBOX}`, 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"', '',
      '--m', 'Content-Type: text/plain', '', 'files attached', '',
      '--m', 'Content-Type: application/octet-stream', "Content-Disposition: attachment; filename*=utf-16be''%D8%3D%00a", '', 'one', '',
      '--m', 'Content-Type: application/octet-stream', "Content-Disposition: attachment; filename*=utf-16le''%3D%D8", '', 'two', '',
      '--m--', '',
    ].join('\r\n');
    const { app, base } = await deliverOne(raw);
    const first = await app.request(`${base}/attachments/0`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="a"; filename*=UTF-8''a`);
    const second = await app.request(`${base}/attachments/1`);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-disposition')).toBe(`attachment; filename="attachment-1"; filename*=UTF-8''attachment-1`);
  });
});

describe('reading one inbox reveals nothing of the others', () => {
  it('shows only this inbox in the envelope, hiding Bcc and other recipients', async () => {
    const test = buildTestApp();
    const raw = rawMessage({ to: 'Public <public@ephemail.test>' });
    const [publicCopy] = await test.deliver(raw, ['public@ephemail.test', 'k7m3qa-xr9tpe-w4hn2c@ephemail.test', 'Public+Tag@ephemail.test']);
    const base = `/api/inboxes/public@ephemail.test/messages/${String(publicCopy?.id)}`;
    for (const path of [base, '/api/inboxes/public@ephemail.test/wait']) {
      const response = await test.app.request(path);
      const text = await response.text();
      expect(response.status, path).toBe(200);
      expect(text, path).not.toContain('k7m3qa-xr9tpe-w4hn2c');
      expect((JSON.parse(text) as { envelope: Json }).envelope).toEqual({
        mailFrom: 'sender@example.com', rcptTo: ['public@ephemail.test', 'Public+Tag@ephemail.test'], session: null,
      });
    }
    const list = await (await test.app.request('/api/inboxes/public@ephemail.test/messages')).text();
    expect(list).not.toContain('k7m3qa-xr9tpe-w4hn2c');
  });

  it('does not accept path tricks in the address or the id', async () => {
    const { app, base } = await deliverOne(rawMessage());
    for (const path of [
      '/api/inboxes/..%2F..%2Fetc%2Fpasswd/messages',
      `/api/inboxes/${encodeURIComponent('../target@ephemail.test')}/messages`,
      `/api/inboxes/${encodeURIComponent('target@ephemail.test/..')}/messages`,
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await app.request(`${base}/..%2F..%2Fraw`)).status).toBe(404);
    expect((await app.request(`${base.replace(/[^/]+$/, '')}..%2Fx`)).status).toBe(404);
  });
});

describe('the same guarantees on a real server (parse and sanitise in workers)', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server.close(); });

  it('sanitises hostile mail sent over SMTP and serves its resources with the headers', async () => {
    const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
    await mailer(server.smtpPort).sendMail({
      from: 'attacker@evil.example', to: 'real-target@ephemail.test', subject: 'hostile over smtp', html: HOSTILE,
      attachments: [
        { filename: 'logo.gif', content: gif, cid: 'logo@hostile.example' },
        { filename: '../../etc/evil\u202Egpj.exe', content: Buffer.from('MZ payload') },
      ],
    });
    const [summary] = await server.summaries.list('real-target@ephemail.test');
    const base = `${server.httpUrl}/api/inboxes/real-target%40ephemail.test/messages/${String(summary?.id)}`;
    const html = await fetch(`${base}/html`);
    expect(html.status).toBe(200);
    const document = await html.text();
    for (const pattern of FORBIDDEN) expect(document, String(pattern)).not.toMatch(pattern);
    expect(document).toContain(`src="${new URL(base).pathname}/attachments/0"`);
    const attachments = await Promise.all([fetch(`${base}/attachments/0`), fetch(`${base}/attachments/1`)]);
    expect(Buffer.from(await attachments[0].arrayBuffer()).equals(gif)).toBe(true);
    expect(await attachments[1].text()).toBe('MZ payload');
    expect(attachments[1].headers.get('content-disposition')).toBe(`attachment; filename="evilgpj.exe"; filename*=UTF-8''evilgpj.exe`);
    for (const response of [html, ...attachments, await fetch(`${base}/text`), await fetch(`${base}/raw`)]) {
      expect(response.headers.get('content-security-policy'), response.url).toMatch(/^default-src 'none';.*\bsandbox\b/);
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), response.url).toBe('no-referrer');
    }
  });
});
