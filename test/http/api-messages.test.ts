import { describe, expect, it } from 'vitest';
import { buildTestApp, rawMessage } from '../support/http-app.js';
import { makeNewMessage } from '../support/messages.js';

type Json = Record<string, unknown>;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4 fake invoice\n');

/** A full message: HTML with an inline cid: image, a remote image, links, a PDF, Cc and Reply-To. */
function richMessage(): string {
  return [
    'From: "Shop Team" <team@shop.example>', 'To: Buyer <buyer@ephemail.test>', 'Cc: Boss <boss@corp.example>',
    'Reply-To: help@shop.example', 'Subject: Your order 4711', 'Date: Tue, 24 Nov 2026 08:30:00 +0100',
    'Message-ID: <order-4711@shop.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="mixed"', '',
    '--mixed', 'Content-Type: multipart/related; boundary="rel"', '',
    '--rel', 'Content-Type: multipart/alternative; boundary="alt"', '',
    '--alt', 'Content-Type: text/plain; charset=utf-8', '', 'Your code is 839201. Confirm: https://shop.example/confirm?t=1', '',
    '--alt', 'Content-Type: text/html; charset=utf-8', '',
    '<p>Your code is <b>839201</b>.</p><img src="cid:logo@shop.example" alt="logo">',
    '<img src="https://tracker.example/open.gif" alt="t"><a href="https://shop.example/confirm?t=1">Confirm order</a>', '',
    '--alt--', '',
    '--rel', 'Content-Type: image/png', 'Content-ID: <logo@shop.example>', 'Content-Transfer-Encoding: base64', '', PNG.toString('base64'), '',
    '--rel--', '',
    '--mixed', 'Content-Type: application/pdf; name="invoice.pdf"', 'Content-Disposition: attachment; filename="invoice.pdf"',
    'Content-Transfer-Encoding: base64', '', PDF.toString('base64'), '',
    '--mixed--', '',
  ].join('\r\n');
}

async function setup() {
  const test = buildTestApp();
  const [summary] = await test.deliver(richMessage(), ['Buyer+Orders@ephemail.test']);
  if (summary === undefined) throw new Error('nothing stored');
  const base = `/api/inboxes/${encodeURIComponent('buyer@ephemail.test')}/messages/${summary.id}`;
  return { ...test, id: summary.id, base };
}

describe('GET /api/inboxes/{address}/messages/{id}', () => {
  it('returns the whole message, with URLs instead of raw HTML', async () => {
    const { app, base, id, clock } = await setup();
    const response = await app.request(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const message = (await response.json()) as Json;
    expect(message).toMatchObject({
      id, inbox: 'buyer@ephemail.test', tag: 'orders', subject: 'Your order 4711',
      envelope: { mailFrom: 'sender@example.com', rcptTo: ['Buyer+Orders@ephemail.test'] },
      from: { name: 'Shop Team', address: 'team@shop.example' },
      to: [{ name: 'Buyer', address: 'buyer@ephemail.test' }],
      cc: [{ name: 'Boss', address: 'boss@corp.example' }],
      replyTo: [{ name: '', address: 'help@shop.example' }],
      date: '2026-11-24T07:30:00.000Z', messageId: '<order-4711@shop.example>',
      text: expect.stringContaining('Your code is 839201'), codes: ['839201'],
      receivedAt: new Date(clock.now()).toISOString(), expiresAt: new Date(clock.now() + 3_600_000).toISOString(),
      htmlUrl: `${base}/html`, textUrl: `${base}/text`, rawUrl: `${base}/raw`, problems: [], attachmentCount: 2,
    });
    expect(message).not.toHaveProperty('html');
    expect(JSON.stringify(message)).not.toContain('<p>Your code is');
    expect(message.headers).toEqual(expect.arrayContaining([{ name: 'subject', value: 'Your order 4711' }]));
    expect(message.links).toEqual([{ url: 'https://shop.example/confirm?t=1', text: 'Confirm order', action: true }]);
    expect(message.attachments).toEqual([
      { index: 0, filename: null, contentType: 'image/png', size: PNG.length, contentId: 'logo@shop.example', inline: true, url: `${base}/attachments/0` },
      { index: 1, filename: 'invoice.pdf', contentType: 'application/pdf', size: PDF.length, contentId: null, inline: false, url: `${base}/attachments/1` },
    ]);
  });

  it('shows the SMTP session that delivered the message, and null for one stored without it', async () => {
    const { app, store, clock } = buildTestApp();
    const session = { clientIp: '198.51.100.25', helo: 'mta.shop.example', tls: true, startedAt: clock.now() - 2_000 };
    const [withSession] = await store.add(makeNewMessage(['buyer@ephemail.test'], { session }));
    const [without] = await store.add(makeNewMessage(['buyer@ephemail.test']));
    const envelopeOf = async (id: string) => ((await (await app.request(`/api/inboxes/buyer@ephemail.test/messages/${id}`)).json()) as { envelope: Json }).envelope;
    expect((await envelopeOf(withSession!.id)).session).toEqual({ ...session, startedAt: new Date(session.startedAt).toISOString() });
    expect((await envelopeOf(without!.id)).session).toBeNull();
  });

  it('has no htmlUrl for a text-only message, and the html route says so', async () => {
    const test = buildTestApp();
    const [summary] = await test.deliver(rawMessage({ text: 'plain only' }), ['p@ephemail.test']);
    const base = `/api/inboxes/p@ephemail.test/messages/${String(summary?.id)}`;
    expect(((await (await test.app.request(base)).json()) as Json).htmlUrl).toBeNull();
    const html = await test.app.request(`${base}/html`);
    expect(html.status).toBe(404);
    expect(((await html.json()) as Json).detail).toBe('This message has no HTML part; read its text instead.');
  });
});

describe('message resources', () => {
  it('serves the text body as plain text', async () => {
    const { app, base } = await setup();
    const response = await app.request(`${base}/text`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toContain('Your code is 839201. Confirm: https://shop.example/confirm?t=1');
  });

  it('serves the raw bytes as message/rfc822, downloaded as .eml', async () => {
    const { app, base, id } = await setup();
    const response = await app.request(`${base}/raw`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id}.eml"; filename*=UTF-8''${id}.eml`);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(richMessage()))).toBe(true);
  });

  it('serves attachments by number with their type as downloads', async () => {
    const { app, base } = await setup();
    const pdf = await app.request(`${base}/attachments/1`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
    expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF)).toBe(true);
    const logo = await app.request(`${base}/attachments/0`);
    expect(logo.headers.get('content-disposition')).toBe(`attachment; filename="attachment-0"; filename*=UTF-8''attachment-0`);
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true);
    for (const index of ['2', '-1', 'x', '1.5', '99999999999999999999']) {
      const missing = await app.request(`${base}/attachments/${index}`);
      expect(missing.status, index).toBe(404);
      expect(((await missing.json()) as Json).detail).toMatch(/has 2 attachment\(s\), numbered from 0/);
    }
  });

  it('rewrites cid: images to the attachment route and blocks remote images unless asked', async () => {
    const { app, base } = await setup();
    const blocked = await app.request(`${base}/html`);
    expect(blocked.status).toBe(200);
    expect(blocked.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(blocked.headers.get('x-blocked-remote-content')).toBe('1');
    const document = await blocked.text();
    expect(document).toContain(`<img src="${base}/attachments/0" alt="logo" />`);
    expect(document).not.toContain('cid:');
    expect(document).not.toContain('tracker.example');
    expect(document).toContain('<a href="https://shop.example/confirm?t=1" target="_blank" rel="noopener noreferrer">Confirm order</a>');
    const csp = blocked.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).not.toMatch(/https?:/);

    const allowed = await app.request(`${base}/html?remote=1`);
    expect(allowed.headers.get('x-blocked-remote-content')).toBe('0');
    expect(await allowed.text()).toContain('src="https://tracker.example/open.gif"');
    expect(allowed.headers.get('content-security-policy')).toContain("img-src 'self' data: https: http:");
  });
});

describe('deleting and not finding messages', () => {
  it('deletes a message: 204, then 404 everywhere', async () => {
    const { app, base, store } = await setup();
    const deleted = await app.request(base, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(await store.list('buyer@ephemail.test')).toEqual([]);
    for (const suffix of ['', '/html', '/text', '/raw', '/attachments/0']) {
      const gone = await app.request(`${base}${suffix}`);
      expect(gone.status, suffix).toBe(404);
      expect(gone.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await app.request(base, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 404 for an unknown id and for an id under another inbox, without touching it', async () => {
    const { app, id, store } = await setup();
    const unknown = await app.request('/api/inboxes/buyer@ephemail.test/messages/01kxxxxxxxxxxxxxxxxxxxxxxx');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      type: 'about:blank', title: 'Message not found', status: 404, code: 'message_not_found',
      detail: 'This inbox has no message with that id; it may have expired or been deleted.',
    });
    const other = `/api/inboxes/intruder@ephemail.test/messages/${id}`;
    for (const suffix of ['', '/html', '/text', '/raw', '/attachments/1']) {
      expect((await app.request(`${other}${suffix}`)).status, suffix).toBe(404);
    }
    expect((await app.request(other, { method: 'DELETE' })).status).toBe(404);
    expect(await store.list('buyer@ephemail.test')).toHaveLength(1);
  });

  it('forgets a message once its time is up', async () => {
    const { app, base, clock } = await setup();
    clock.advance(3_600_000 - 1);
    expect((await app.request(base)).status).toBe(200);
    clock.advance(2);
    expect((await app.request(base)).status).toBe(404);
    expect(((await (await app.request('/api/inboxes/buyer@ephemail.test/messages')).json()) as Json).messages).toEqual([]);
  });

  it('finds a message through any spelling of its address', async () => {
    const { app, id } = await setup();
    for (const address of ['BUYER@EPHEMAIL.TEST', 'buyer+whatever@ephemail.test', 'Buyer%2BOrders%40Ephemail.Test']) {
      expect((await app.request(`/api/inboxes/${address}/messages/${id}`)).status, address).toBe(200);
    }
  });
});

describe('headers on every response', () => {
  it('opens GET to any origin and keeps referrers off, errors included', async () => {
    const { app, base } = await setup();
    const requests: Array<[string, RequestInit]> = [
      ['/api/domains', {}], [base, {}], [`${base}/html`, {}], [`${base}/raw`, {}], [`${base}/attachments/0`, {}],
      ['/api/inboxes/bad/messages', {}], ['/api/inboxes/x@ephemail.test/messages/nope', {}], ['/api/nothing-here', {}],
      ['/api/inboxes', { method: 'POST' }], ['/api/inboxes/x@ephemail.test', { method: 'DELETE' }],
    ];
    for (const [path, init] of requests) {
      const response = await app.request(path, { ...init, headers: { origin: 'https://runner.example' } });
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('answers a CORS preflight for GET', async () => {
    const { app, base } = await setup();
    const response = await app.request(base, {
      method: 'OPTIONS', headers: { origin: 'https://runner.example', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('allows only GET in a CORS preflight, so a page elsewhere cannot DELETE or POST', async () => {
    const { app, base } = await setup();
    for (const method of ['DELETE', 'POST']) {
      const response = await app.request(base, {
        method: 'OPTIONS', headers: { origin: 'https://runner.example', 'access-control-request-method': method },
      });
      expect(response.headers.get('access-control-allow-methods')).toBe('GET');
    }
  });
});
