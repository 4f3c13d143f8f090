/**
 * Well-formed mail of every ordinary shape, for property tests that compare
 * two readers of the same bytes: nested multiparts, text and HTML in several
 * charsets and transfer encodings, format=flowed, attachments described in
 * every usual way, forwarded messages, encoded-word headers and groups.
 */
import fc from 'fast-check';

const WORDS = ['hello', 'your', 'verification', 'code', 'is', 'order', 'invoice', 'Bestätigungscode', 'код', 'подтверждения',
  'código', 'één', 'Grüße', 'naïve', 'café', 'PIN', 'password', 'token', '482913', '7305', 'G-582013', '2024', '#12345', '€42',
  'https://example.com/verify?c=1', '-- ', '>', '=', '=3D', '_', '?', '=?utf-8?Q?x?=', '<b>', '&amp;', '日本語', '😀'];

// Single-byte charsets, with the letters of each that the generator writes.
const CHARSET_LETTERS: Record<string, string> = {
  'utf-8': '', 'us-ascii': '', 'iso-8859-1': 'äöüßéèàçñ', 'windows-1252': 'äöüß€„“”–—', 'windows-1251': 'абвгдежзийклмнопрстуфхцчшщъыьэюя',
  'koi8-r': 'абвгдежзийклмнопрстуфхцчшщыьэюяАБВ', 'iso-8859-2': 'ąćęłńóśźżĄĆ', 'iso-8859-15': 'äöü€ŠšŽžŒœ', 'iso-8859-5': 'абвгдежзий',
};

// The windows-1252 letters outside latin1 that the generator writes.
const WINDOWS_1252_EXTRA: Record<string, number> = { '€': 0x80, '„': 0x84, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

/** The bytes of `text` in `charset`, every character of it being one the charset has ("?" otherwise). */
function encode(text: string, charset: string): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  const latin = charset === 'iso-8859-1' || charset === 'windows-1252';
  const decoder = new TextDecoder(latin ? 'iso-8859-2' : charset);
  const bytes = new Map<string, number>();
  for (let byte = 0xa0; byte < 0x100; byte += 1) bytes.set(latin ? String.fromCharCode(byte) : decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from([...text].map((chr) => (chr.charCodeAt(0) < 0x80 ? chr.charCodeAt(0) : bytes.get(chr) ?? (charset === 'windows-1252' ? WINDOWS_1252_EXTRA[chr] : undefined) ?? 0x3f)));
}

function wordsIn(charset: string): fc.Arbitrary<string> {
  const letters = CHARSET_LETTERS[charset] ?? '';
  const word = charset === 'utf-8'
    ? fc.constantFrom(...WORDS)
    : fc.oneof(fc.constantFrom(...WORDS.filter((entry) => /^[\x20-\x7e]*$/.test(entry))), fc.string({ unit: fc.constantFrom(...(letters || 'abc')), minLength: 1, maxLength: 8 }));
  const line = fc.array(word, { minLength: 0, maxLength: 14 }).map((words) => words.join(' '));
  return fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => lines.join('\n'));
}

function quotedPrintable(bytes: Buffer): string {
  let out = '';
  let lineLength = 0;
  for (const byte of bytes) {
    const chunk = byte === 0x0a ? '\r\n' : byte === 0x0d ? '' : byte === 0x3d || byte > 0x7e || (byte < 0x20 && byte !== 0x09) ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
    if (chunk !== '\r\n' && lineLength + chunk.length > 75) {
      out += '=\r\n';
      lineLength = 0;
    }
    out += chunk;
    lineLength = chunk === '\r\n' ? 0 : lineLength + chunk.length;
  }
  return out;
}

/** Bytes in a Content-Transfer-Encoding (base64, quoted-printable, else as they are), lines ending in CRLF. */
export function transferEncode(bytes: Buffer, encoding: string): string {
  if (encoding === 'base64') return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  if (encoding === 'quoted-printable') return quotedPrintable(bytes);
  return bytes.toString('latin1').replace(/\r?\n/g, '\r\n');
}

// format=flowed: long lines wrapped after a space, with one more space under delsp=yes.
function flow(text: string, delSp: boolean): string {
  return text.split('\n').map((line) => line.replace(/(\S{1,20} )(?=\S)/g, delSp ? '$1 \n' : '$1\n')).join('\n');
}

const textPart: fc.Arbitrary<string> = fc.record({
  html: fc.boolean(),
  charset: fc.constantFrom(...Object.keys(CHARSET_LETTERS)),
  encoding: fc.constantFrom('7bit', '8bit', 'quoted-printable', 'base64', ''),
  disposition: fc.constantFrom('', '', 'inline', 'attachment'),
  flowed: fc.constantFrom('', 'no', 'yes'),
  quotedCharset: fc.boolean(),
}).chain((shape) => wordsIn(shape.charset).map((text) => {
  const body = shape.html ? `<html><body><p>${text.replace(/\n/g, '</p>\n<p>')}</p></body></html>` : shape.flowed ? flow(text, shape.flowed === 'yes') : text;
  const charset = shape.quotedCharset ? `"${shape.charset}"` : shape.charset;
  const type = shape.html ? `text/html; charset=${charset}` : `text/plain; charset=${charset}${shape.flowed ? `; format=flowed; delsp=${shape.flowed}` : ''}`;
  return [`Content-Type: ${type}`, ...(shape.encoding ? [`Content-Transfer-Encoding: ${shape.encoding}`] : []),
    ...(shape.disposition ? [`Content-Disposition: ${shape.disposition}`] : []), '', transferEncode(encode(body, shape.charset), shape.encoding || '7bit')].join('\r\n');
}));

const attachmentPart: fc.Arbitrary<string> = fc.record({
  type: fc.constantFrom('application/pdf', 'image/png', 'application/octet-stream', 'text/calendar', 'text/plain', ''),
  naming: fc.constantFrom('none', 'name', 'filename', 'rfc2231', 'encoded-word'),
  disposition: fc.constantFrom('', 'attachment', 'inline'),
  contentId: fc.boolean(),
  bytes: fc.uint8Array({ maxLength: 300 }),
}).map(({ type, naming, disposition, contentId, bytes }) => {
  const name = naming === 'rfc2231' ? "filename*=utf-8''R%C3%A9sum%C3%A9.pdf" : naming === 'encoded-word' ? 'filename="=?utf-8?Q?R=C3=A9sum=C3=A9.txt?="' : 'filename="report.txt"';
  return [
    ...(type ? [`Content-Type: ${type}${naming === 'name' ? '; name="photo.png"' : ''}`] : []),
    ...(disposition || (naming !== 'none' && naming !== 'name') ? [`Content-Disposition: ${disposition || 'attachment'}${naming !== 'none' && naming !== 'name' ? `; ${name}` : ''}`] : []),
    ...(contentId ? ['Content-ID: <img1@example.com>'] : []),
    'Content-Transfer-Encoding: base64', '', transferEncode(Buffer.from(bytes), 'base64'),
  ].join('\r\n');
});

const mailbox = fc.constantFrom('anna@example.com', '"Jörg Müller" <joerg@example.com>', 'Support <support@example.com>', '"Doe, Jane" <jane@example.com>',
  '=?utf-8?B?0JDQvdC90LA=?= <anna@example.ru>', '=?iso-8859-1?Q?J=F6rg?= <j@example.de>', 'bob@example.com (Bob Smith)', '<only@example.com>', 'Team: a@example.com, b@example.com;',
  'undisclosed-recipients:;', 'user@xn--bcher-kva.example');

const subject = fc.constantFrom('Your code', '', 'Ihr Bestätigungscode: 482913', '=?utf-8?B?0JLQsNGIINC60L7QtCDQv9C+0LTRgtCy0LXRgNC20LTQtdC90LjRjw==?=',
  '=?utf-8?Q?Bevestig_je_e-mailadres_=E2=80=94_=C3=A9=C3=A9n_klik?=', '=?iso-8859-1?Q?Gr=FC=DFe?= =?iso-8859-1?Q?_aus_K=F6ln?=',
  '=?koi8-r?B?98HbIMvPxA==?= 5812', '=?windows-1251?Q?=CA=EE=E4?=', 'a long subject\r\n that is folded\r\n\tover lines', '=?utf-8?B?8J+YgA==?= emoji');

function multipart(children: string[], subtype: string, boundary: string, preamble: boolean): string {
  return [`Content-Type: multipart/${subtype}; boundary="${boundary}"`, '', ...(preamble ? ['This is a multi-part message in MIME format.'] : []),
    ...children.flatMap((child) => [`--${boundary}`, child]), `--${boundary}--`, ...(preamble ? ['epilogue text'] : [])].join('\r\n');
}

const part: fc.Memo<string> = fc.memo((depth: number): fc.Arbitrary<string> => {
  const leaves = fc.oneof({ weight: 3, arbitrary: textPart }, { weight: 1, arbitrary: attachmentPart });
  if (depth <= 1) return leaves;
  const nested = fc.record({
    children: fc.array(part(depth - 1), { minLength: 1, maxLength: 4 }),
    subtype: fc.constantFrom('mixed', 'alternative', 'related'),
    boundary: fc.constantFrom('b1', '----=_Part_0_12345.67890', 'simple boundary', `=_${depth}`),
    preamble: fc.boolean(),
  }).map(({ children, subtype, boundary, preamble }) => multipart(children, subtype, `${boundary}${depth}`, preamble));
  // A forwarded message, inline ones with a block of their headers written into the text.
  const forwarded = fc.tuple(part(depth - 1), fc.constantFrom('attachment', 'inline', '')).map(([inner, disposition]) => [
    'Content-Type: message/rfc822', ...(disposition ? [`Content-Disposition: ${disposition}`] : []), '',
    'From: "Inner, Name" <inner@example.com>', 'Subject: =?utf-8?Q?inner_=C3=A9?=', 'Date: Tue, 03 Feb 2026 11:00:00 +0100', 'Cc: c@example.com, <d@example.com>', inner,
  ].join('\r\n'));
  return fc.oneof({ weight: 2, arbitrary: leaves }, { weight: 3, arbitrary: nested }, { weight: 1, arbitrary: forwarded });
});

/** A whole message: the usual headers, then a part (a tree up to four levels deep), lines ending in CRLF or LF. */
export const wellFormedMail: fc.Arbitrary<Buffer> = fc.record({
  from: mailbox,
  to: fc.array(mailbox, { minLength: 1, maxLength: 3 }),
  subject,
  body: part(4),
  lf: fc.boolean(),
}).map(({ from, to, subject: title, body, lf }) => {
  // Headers are UTF-8 (RFC 6532); the body is already bytes, one char each.
  const head = [`From: ${from}`, `To: ${to.join(', ')}`, `Subject: ${title}`, 'Date: Mon, 02 Feb 2026 10:00:00 +0000', 'Message-ID: <m@example.com>', 'MIME-Version: 1.0', ''].join('\r\n');
  const eol = (text: string): string => (lf ? text.replace(/\r\n/g, '\n') : text);
  return Buffer.concat([Buffer.from(eol(head), 'utf8'), Buffer.from(eol(`${body}\r\n`), 'latin1')]);
});
