import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { parseFixture, crlf, headerValues } from './parse-support.js';

describe('parseMessage charsets', () => {
  it.each([
    {
      file: 'utf8-8bit-russian.eml',
      subject: 'Подтверждение регистрации',
      from: { name: 'Служба поддержки', address: 'noreply@accounts.example.com' },
      text: 'Здравствуйте! Ваш код подтверждения: 5812\n\nКод действует 10 минут.\n',
    },
    {
      file: 'utf8-qp-dutch.eml',
      subject: 'Bevestig je e-mailadres — één klik',
      from: { name: 'Zoë van Dijk', address: 'zoe@voorbeeld.example' },
      text:
        'Hallo Sanne,\n\nBevestig je e-mailadres met één klik op de link hieronder, dan is je account meteen klaar voor gebruik:\n' +
        'https://voorbeeld.example/bevestig?t=9f3c\n\nJe code is 40317.\n\nGroetjes,\nZoë\n',
    },
    {
      file: 'utf8-base64-galician.eml',
      subject: 'Benvida! Confirma o teu enderezo de correo electrónico',
      from: { name: 'Concello da Coruña', address: 'sede@concello.example' },
      text:
        'Ola Brais,\n\nGrazas por rexistrarte. Confirma o teu enderezo de correo electrónico co código 66120.\n\n' +
        'Saúdos,\nA equipa da sede electrónica\n',
    },
    {
      file: 'iso-8859-1-german.eml',
      subject: 'Bestätigung Ihrer Anmeldung',
      from: { name: 'Jürgen Müller', address: 'juergen.mueller@beispiel.example' },
      text:
        'Sehr geehrte Frau Schröder,\n\nvielen Dank für Ihre Anmeldung. Ihr Bestätigungscode lautet 730215.\n\n' +
        'Mit freundlichen Grüßen\nJürgen Müller\nMusterstraße 12, 12345 Beispielstadt\n',
    },
    {
      file: 'windows-1251-russian.eml',
      subject: 'Код подтверждения заказа',
      from: { name: 'Интернет-магазин', address: 'info@magazin.example' },
      text: 'Здравствуйте! Ваш код подтверждения: 5812\n\nС уважением,\nИнтернет-магазин\n',
    },
    {
      file: 'koi8-r-russian.eml',
      subject: 'Ваш код подтверждения',
      from: { name: 'Почтовый робот', address: 'robot@pochta.example' },
      text: 'Здравствуйте! Ваш код подтверждения: 5812\n\nЕсли вы не запрашивали код, проигнорируйте это письмо.\n',
    },
  ])('decodes $file', async ({ file, subject, from, text }) => {
    const message = await parseFixture(file);
    expect(message.subject).toBe(subject);
    expect(message.from).toEqual(from);
    expect(message.text).toBe(text);
    expect(message.html).toBeNull();
    expect(message.problems).toEqual([]);
    expect(message.failed).toBe(false);
    // The header list decodes encoded words on its own, so it must agree.
    expect(headerValues(message, 'subject')).toEqual([subject]);
    expect(headerValues(message, 'from')).toEqual([`${from.name} <${from.address}>`]);
  });

  it('decodes an encoded display name in To', async () => {
    const message = await parseFixture('iso-8859-1-german.eml');
    expect(message.to).toEqual([{ name: 'Frau Schröder', address: 'schroeder@ephemail.test' }]);
  });

  it('joins a character split across two encoded words', async () => {
    const bytes = Buffer.from('electrónico');
    const cut = bytes.indexOf(0xc3) + 1;
    const word = (part: Buffer): string => `=?UTF-8?B?${part.toString('base64')}?=`;
    const message = await parseMessage(
      crlf(`Subject: ${word(bytes.subarray(0, cut))} ${word(bytes.subarray(cut))}`, '', 'x'),
    );
    expect(message.subject).toBe('electrónico');
    expect(headerValues(message, 'subject')).toEqual(['electrónico']);
  });

  it('leaves words in unknown or refused charsets as written', async () => {
    const message = await parseMessage(
      crlf('X-Unknown: =?x-martian?Q?abc?= tail', 'X-Utf7: =?utf-7?Q?+ADw-script+AD4-?=', '', 'x'),
    );
    expect(headerValues(message, 'x-unknown')).toEqual(['=?x-martian?Q?abc?= tail']);
    expect(headerValues(message, 'x-utf7')).toEqual(['=?utf-7?Q?+ADw-script+AD4-?=']);
  });
});

describe('parseMessage structure', () => {
  it('reads multipart/alternative text and HTML, groups flattened', async () => {
    const message = await parseFixture('alternative.eml');
    expect(message.text).toBe('Your sign-in code is 271828.\nIt expires in 15 minutes.\n');
    expect(message.html).toBe(
      '<html><body><p>Your sign-in code is <strong>271828</strong>.</p><p>It expires in 15 minutes.</p></body></html>\n',
    );
    expect(message.from).toEqual({ name: 'Acme Support', address: 'support@acme.example' });
    expect(message.to).toEqual([
      { name: '', address: 'anna@ephemail.test' },
      { name: 'Jörg', address: 'joerg@ephemail.test' },
    ]);
    expect(message.cc).toEqual([
      { name: '', address: 'lead@acme.example' },
      { name: 'Ops, On-Call', address: 'oncall@acme.example' },
    ]);
    expect(message.replyTo).toEqual([{ name: 'Acme Help', address: 'help@acme.example' }]);
    expect(message.date).toBe(Date.UTC(2025, 6, 7, 13, 0, 1));
    expect(message.messageId).toBe('<01000197e4a1b2c3-signin@email.acme.example>');
    expect(message.attachments).toEqual([]);
    expect(message.hasTextPart).toBe(true);
  });

  it('derives text from HTML-only mail and rejects an unreadable Date', async () => {
    const message = await parseFixture('html-only.eml');
    expect(message.text).toBe(
      'Hi Kim,\n\nYour verification code is 904417.\n\nOr verify in one click [https://shop.example/verify?c=904417].',
    );
    expect(message.html).toMatch(/^<!DOCTYPE html>\n<html>/);
    expect(message.hasTextPart).toBe(false);
    // mailparser alone would report "now" here.
    expect(message.date).toBeNull();
    expect(message.problems).toEqual(['The Date header "0000-00-00 00:00:00" is not a readable date.']);
  });

  it('counts a blank text/plain part beside HTML as no text part', async () => {
    const message = await parseMessage(crlf(
      'Content-Type: multipart/alternative; boundary=b', '',
      '--b', 'Content-Type: text/plain', '', ' ', '--b', 'Content-Type: text/html', '', '<p>Hello</p>', '--b--', '',
    ));
    expect(message).toMatchObject({ html: '<p>Hello</p>', hasTextPart: false });
  });

  it('marks a cid-referenced image inline and keeps the link', async () => {
    const message = await parseFixture('related-inline-image.eml');
    expect(message.html).toContain('<img src="cid:logo.7f3a@studio.example"');
    const [logo, banner] = message.attachments;
    expect({ ...logo, content: undefined }).toEqual({
      filename: 'logo.png',
      contentType: 'image/png',
      size: 70,
      contentId: 'logo.7f3a@studio.example',
      inline: true,
      content: undefined,
    });
    expect(logo?.content.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Same kind of part, but nothing in the HTML points at it.
    expect(banner).toMatchObject({ filename: 'banner.png', contentId: 'banner.unused@studio.example', inline: false });
    expect(message.attachments).toHaveLength(2);
  });

  it('matches percent-encoded cid URLs and honours an inline disposition', async () => {
    const message = await parseMessage(
      crlf(
        'Content-Type: multipart/related; boundary=rel',
        '',
        '--rel',
        'Content-Type: text/html',
        '',
        '<img src="cid:part1%40example.test">',
        '--rel',
        'Content-Type: image/gif',
        'Content-ID: <part1@example.test>',
        '',
        'GIF89a',
        '--rel',
        'Content-Type: application/octet-stream',
        'Content-Disposition: inline; filename="../../etc/passwd"',
        '',
        'data',
        '--rel--',
        '',
      ),
    );
    expect(message.attachments.map(({ contentId, inline, filename }) => ({ contentId, inline, filename }))).toEqual([
      { contentId: 'part1@example.test', inline: true, filename: null },
      // Filenames are data: reported verbatim, never cleaned up into a path.
      { contentId: null, inline: true, filename: '../../etc/passwd' },
    ]);
  });

  it('decodes an RFC 2231 continued, non-ASCII attachment filename', async () => {
    const message = await parseFixture('attachment-rfc2231.eml');
    expect(message.subject).toBe('Ihre Rechnung für März');
    expect(message.text).toBe('Guten Tag,\n\nanbei Ihre Rechnung für März.\n');
    expect(message.attachments).toHaveLength(1);
    const [pdf] = message.attachments;
    expect(pdf).toMatchObject({
      filename: 'Rechnung März.pdf',
      contentType: 'application/pdf',
      size: 90,
      contentId: null,
      inline: false,
    });
    expect(pdf?.content.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
  });

  it('keeps every header in received order, repeats included', async () => {
    const message = await parseFixture('received-chain.eml');
    expect(message.headers.map((header) => header.name)).toEqual(
      ['return-path', 'delivered-to', 'received', 'received', 'received', 'x-monitor-tag', 'x-monitor-tag'].concat(
        ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type'],
      ),
    );
    expect(headerValues(message, 'received')).toEqual([
      'from edge2.monitor.example (edge2.monitor.example [198.51.100.12])\tby mx.ephemail.test (Ephemail) with ESMTPS id 11AA22\tfor <ops@ephemail.test>; Fri, 11 Jul 2025 03:04:05 +0000',
      'from relay.monitor.example (relay.monitor.example [10.0.0.5])\tby edge2.monitor.example (Postfix) with ESMTP id 8C1E2;\tFri, 11 Jul 2025 03:04:04 +0000 (UTC)',
      'by relay.monitor.example (Postfix, from userid 1001)\tid 5F0C9; Fri, 11 Jul 2025 03:04:03 +0000 (UTC)',
    ]);
    expect(headerValues(message, 'x-monitor-tag')).toEqual(['disk', 'Größe']);
  });
});
