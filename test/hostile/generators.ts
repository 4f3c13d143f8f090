/**
 * Hostile messages too big (or too binary) to keep as files: each is built in
 * memory when a test asks for it, so the repository holds the recipe, not
 * megabytes of mail. Sizes stay under the default 10 MB message limit unless
 * the point is to cross another limit, and small enough for a busy CI box.
 */

import type { HostileCase } from './suite.js';

const CRLF = '\r\n';

function mail(headers: string[], body: string): Buffer {
  return Buffer.from([...headers, '', body].join(CRLF), 'latin1');
}

function envelopeHeaders(subject: string, contentType = 'text/plain; charset=utf-8'): string[] {
  return ['From: Hostile <hostile@example.com>', 'To: victim@ephemail.test', `Subject: ${subject}`, 'MIME-Version: 1.0', `Content-Type: ${contentType}`];
}

/** Base64 in 76-character lines, as MIME writes it. */
function base64Lines(bytes: Buffer): string {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += 76) lines.push(text.slice(at, at + 76));
  return lines.join(CRLF);
}

/** A value folded into continuation lines, so no physical line is long. */
function folded(value: string, width = 76): string {
  const lines: string[] = [];
  for (let at = 0; at < value.length; at += width) lines.push(value.slice(at, at + width));
  return lines.join(`${CRLF} `);
}

const KB = 1024;
const MB = 1024 * KB;

export const GENERATED: readonly HostileCase[] = [
  {
    // One physical line over --smtp-max-line-length (64 KB): refused with 500 by the line meter.
    name: 'header line of 900 KB',
    expect: 'refused',
    build: () => mail([...envelopeHeaders('long line'), `X-Long: ${'A'.repeat(900 * KB)}`], 'body'),
  },
  {
    // The same 900 KB as one logical header folded over 12,000 lines: no line limit applies.
    name: 'folded header of 900 KB',
    expect: 'stored',
    build: () => mail([...envelopeHeaders(folded('S'.repeat(900 * KB)))], 'body'),
    // Lists and live events carry a summary cut at 400 bytes; the full message keeps the header whole.
    check: ({ message }) => (message !== null && message.subject.length === 400 &&
      message.headers.find((header) => header.name === 'subject')?.value.replaceAll(' ', '').length === 900 * KB ? [] : ['subject not cut in the summary only']),
  },
  {
    name: '10,000 header fields',
    expect: 'stored',
    build: () => mail([...envelopeHeaders('many headers'), ...Array.from({ length: 10_000 }, (_, i) => `X-Field-${i}: value ${i}`)], 'body'),
  },
  {
    // NUL, DEL, bare CR, C1 controls and bytes that are not UTF-8, in names and values.
    name: 'NUL and 8-bit bytes in headers',
    expect: 'either',
    build: () => Buffer.concat([
      Buffer.from('From: "Nul\0Name\xff\xfe" <nul@example.com>\r\nTo: victim@ephemail.test\r\n', 'latin1'),
      Buffer.from('Subject: caf\xe9 \0 \x7f\x85 \xc3\x28 \xf0\x28\x8c\x28 tail\r\n', 'latin1'),
      Buffer.from('X-Na\0me: v\r\nX-\xe9t\xe9: w\r\nX-Bare-CR: a\rb\r\nContent-Type: text/plain; charset=\0utf-8\r\n\r\nbody \0 \xff\r\n', 'latin1'),
    ]),
  },
  {
    // Bare LF and bare CR instead of CRLF, mixed within one message.
    name: 'bare LF and CR line endings',
    expect: 'either',
    build: () => Buffer.from('From: a@example.com\nTo: victim@ephemail.test\rSubject: bare\n endings\r\nContent-Type: text/plain\n\nline\rline\nline\r\n', 'latin1'),
  },
  {
    name: 'empty message',
    expect: 'either',
    build: () => Buffer.alloc(0),
  },
  {
    name: '1,000 levels of multipart',
    expect: 'stored',
    build: () => {
      const depth = 1_000;
      const open = Array.from({ length: depth }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"${CRLF}${CRLF}--b${i}`).join(CRLF);
      const close = Array.from({ length: depth }, (_, i) => `--b${depth - 1 - i}--`).join(CRLF);
      // Each level's header block is the previous level's first part; the innermost is text.
      return Buffer.from([
        'From: a@example.com', 'To: victim@ephemail.test', 'Subject: deep multipart', 'MIME-Version: 1.0',
        open, 'Content-Type: text/plain', '', 'innermost', close, '',
      ].join(CRLF), 'latin1');
    },
  },
  {
    name: '1,000 levels of message/rfc822',
    expect: 'stored',
    build: () => {
      const level = `From: a@example.com${CRLF}Subject: level${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}`;
      return Buffer.from(`To: victim@ephemail.test${CRLF}${level.repeat(1_000)}Subject: innermost${CRLF}${CRLF}innermost${CRLF}`, 'latin1');
    },
  },
  {
    name: '100,000 empty sibling parts',
    expect: 'stored',
    build: () => mail(envelopeHeaders('siblings', 'multipart/mixed; boundary="s"'), `${`--s${CRLF}${CRLF}`.repeat(100_000)}--s--${CRLF}`),
  },
  {
    // Every sibling an (empty) attachment: the parse result is 100,000 objects.
    name: '100,000 empty sibling attachments',
    expect: 'stored',
    build: () => mail(envelopeHeaders('attachments', 'multipart/mixed; boundary="s"'),
      `${`--s${CRLF}Content-Type: image/gif${CRLF}${CRLF}`.repeat(100_000)}--s--${CRLF}`),
  },
  {
    // 3 MB of quoted-printable soft line breaks: decodes to nothing, costs a full pass.
    name: 'quoted-printable soft breaks',
    expect: 'stored',
    build: () => mail([...envelopeHeaders('soft breaks'), 'Content-Transfer-Encoding: quoted-printable'], `=${CRLF}`.repeat(MB) + 'end'),
  },
  {
    // 3 MB of one control byte: JSON writes each as "\u0001", six bytes.
    name: 'base64 of a 3 MB control-byte run',
    expect: 'stored',
    build: () => mail([...envelopeHeaders('control run'), 'Content-Transfer-Encoding: base64'], base64Lines(Buffer.alloc(3 * MB, 1))),
  },
  {
    // UTF-16 code units D800 with no partner: JSON writes each lone surrogate as "\ud800".
    name: 'lone surrogates via UTF-16',
    expect: 'stored',
    build: () => mail([...envelopeHeaders('surrogates', 'text/plain; charset=utf-16le'), 'Content-Transfer-Encoding: base64'],
      base64Lines(Buffer.alloc(2 * MB, Buffer.from([0x00, 0xd8])))),
  },
  {
    // 300,000 control characters as encoded words in a folded Subject, which also lands in every summary.
    name: 'control bytes in a folded subject',
    expect: 'stored',
    build: () => mail(envelopeHeaders(Array.from({ length: 10_000 }, () => `=?utf-8?B?${Buffer.alloc(30, 2).toString('base64')}?=`).join(`${CRLF} `)), 'body'),
  },
  {
    name: 'base64 attachment of a 6 MB run',
    expect: 'stored',
    build: () => mail(envelopeHeaders('big run', 'multipart/mixed; boundary="r"'), [
      '--r', 'Content-Type: text/plain', '', 'see attachment',
      '--r', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="run.bin"', '',
      base64Lines(Buffer.alloc(6 * MB, 0x41)), '--r--', '',
    ].join(CRLF)),
  },
  {
    // HTML only, so the parser turns it into text: each 10-byte "<li><hr>" becomes a numbered
    // rule of about 90 characters, past the 1 MiB cap on text readers get.
    name: 'HTML that grows as text',
    expect: 'stored',
    build: () => mail(envelopeHeaders('html growth', 'text/html; charset=utf-8'), `<ol>${`<li><hr>${CRLF}`.repeat(15_000)}</ol>`),
    check: ({ message }) => (message !== null && message.text.length <= MB && message.problems.some((problem) => problem.startsWith('The text is '))
      ? [] : [`text of ${message?.text.length} characters`]),
  },
  {
    // A wide first cell makes every row of a text table as wide.
    name: 'HTML table padding',
    expect: 'stored',
    build: () => mail(envelopeHeaders('table growth', 'text/html; charset=utf-8'),
      `<table><tr><td>${'W'.repeat(70)}</td><td>x</td></tr>${`<tr><td></td><td>y</td></tr>${CRLF}`.repeat(3_000)}</table>`),
  },
  {
    // 4 MB of unclosed elements: the sanitiser and the link finder must cut it off, not recurse.
    name: 'HTML nested 100,000 deep',
    expect: 'stored',
    build: () => mail(envelopeHeaders('html depth', 'text/html; charset=utf-8'), `<div><a href="https://x.example/verify">${CRLF}`.repeat(100_000)),
    // Found by the parse worker, within its 256 KB and 1,000-level bounds.
    check: ({ message }) => (message?.links.some((link) => link.url === 'https://x.example/verify') ? [] : ['no links']),
  },
  {
    // 1 MB of ordinary paragraphs and links: a big newsletter, sanitised for the html route.
    name: 'HTML body of 1 MB',
    expect: 'stored',
    build: () => mail(envelopeHeaders('big html', 'text/html; charset=utf-8'),
      `<p>Hello &amp; welcome, <a href="https://shop.example/p?id=1">see this</a> — naïve café.</p>${CRLF}`.repeat(11_000)),
  },
];

