/**
 * The lean digest a parse worker makes must be the digest of the full parse:
 * the same for every stored fixture and hostile message, every code-corpus
 * entry sent as mail, the benchmark's messages, the generated hostile
 * messages and generated well-formed mail (and HTML longer than is turned
 * into text, in long-html-text.test.ts). Where it reads a message
 * differently on purpose, the case is in DELIBERATE and in the last block,
 * with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Transform } from 'node:stream';
import { Splitter, type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { digestMessage, SUMMARY_MAX_JSON_BYTES, type MessageDigest } from '../../src/mail/read/digest.js';
import { jsonBytes } from '../../src/mail/read/display-text.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';
import { partText, type TextSource } from '../../src/mail/read/lean-digest-text.js';
import { MESSAGE_KINDS, messageFactory, rawSize } from '../bench/messages.js';
import { GENERATED } from '../hostile/generators.js';
import { transferEncode, wellFormedMail } from '../support/mime-arbitrary.js';

interface Sample {
  name: string;
  raw: Buffer;
}

interface CorpusEntry {
  name: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Generated hostile messages the lean digest reads differently on purpose,
 * and why. None today: each is read as the full parse reads it. The
 * differences outside the generated set are in the last block.
 */
const DELIBERATE: Record<string, string> = {};

const CRLF = '\r\n';

async function fullDigest(raw: Buffer): Promise<MessageDigest> {
  return digestMessage(await parseMessage(raw));
}

function emlFiles(directory: string): Sample[] {
  const url = new URL(directory, import.meta.url);
  return readdirSync(url).filter((name) => name.endsWith('.eml')).sort().map((name) => ({ name, raw: readFileSync(new URL(name, url)) }));
}

// Each entry as the mail a sender would write: text, HTML, or both as
// alternatives, in UTF-8, quoted-printable and base64 taking turns.
function corpusMail(entry: CorpusEntry, index: number): Buffer {
  const encoding = index % 2 === 0 ? 'quoted-printable' : 'base64';
  const part = (type: string, body: string): string =>
    [`Content-Type: ${type}; charset=utf-8`, `Content-Transfer-Encoding: ${encoding}`, '', transferEncode(Buffer.from(body), encoding)].join(CRLF);
  const headers = ['From: "Sender" <sender@example.com>', 'To: inbox@ephemail.test', `Subject: =?utf-8?B?${Buffer.from(entry.subject).toString('base64')}?=`, 'MIME-Version: 1.0'];
  const body = !entry.html ? [part('text/plain', entry.text)]
    : !entry.text ? [part('text/html', entry.html)]
      : ['Content-Type: multipart/alternative; boundary="alt"', '', '--alt', part('text/plain', entry.text), '--alt', part('text/html', entry.html), '--alt--', ''];
  return Buffer.from([...headers, ...body].join(CRLF), 'latin1');
}

// As the store receives it: the DATA block without its terminating ".\r\n" (no line starts with a dot).
function benchMail(kind: (typeof MESSAGE_KINDS)[number]): Buffer {
  const block = messageFactory(kind)('bench-inbox-000@ephemail.test', 'bench 00000001 1700000000000');
  return block.subarray(0, rawSize(block));
}

function multipartMail(parts: number): Buffer {
  const body = Array.from({ length: parts }, (_, i) => `--p${CRLF}Content-Type: text/plain${CRLF}${CRLF}part ${i}${CRLF}`).join('');
  return Buffer.from(`Subject: parts${CRLF}Content-Type: multipart/mixed; boundary="p"${CRLF}${CRLF}${body}--p--${CRLF}`, 'latin1');
}

const corpus = JSON.parse(readFileSync(new URL('../fixtures/codes/corpus.json', import.meta.url), 'utf8')) as CorpusEntry[];

// Lines that steer a MIME parser into its corners, mixed with raw bytes.
const MIME_LINES = [
  'Content-Type: multipart/mixed; boundary="b"', 'Content-Type: multipart/alternative; boundary=b', '--b', '--b--', '', '\r--b',
  'Content-Type: text/html; charset=utf-7', 'Content-Type: message/rfc822', 'Content-Disposition: inline', 'Content-Type: text/plain; charset="x-unknown"',
  'Content-Type: text/plain; charset=windows-1251; format=flowed; delsp=yes', 'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable',
  'Content-Disposition: attachment; filename*=UTF-8\'\'%00%2e%2e%2f', 'Content-Disposition: inline; filename=a.eml', 'Content-Type: image/png',
  'Content-Type: message/delivery-status', 'Content-Type: text/plain; charset=cp437', 'Content-Type: text/plain; charset=iso-2022-jp',
  'Subject: =?utf-8?B?PHNjcmlwdD4=?=', 'From: "<img onerror=x>" <a@b>', 'To: a@b.c, "X, Y" <x@y.z>', 'Date: yesterday', 'code 482913 ', '=ZZ=', '=E2=82=AC=',
  'SGVsbG8gd29ybGQ=', ' folded continuation', '> quoted ', 'caf\xe9',
];
const rawBytes = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes));
const mimeish = fc.array(fc.oneof(fc.constantFrom(...MIME_LINES), fc.string({ unit: 'binary', maxLength: 60 })), { maxLength: 60 })
  .chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((eol) => Buffer.from(lines.join(eol), 'latin1')));

const mailboxShape = { name: expect.any(String), address: expect.any(String) };

function expectWellFormed(digest: MessageDigest): void {
  expect(digest).toStrictEqual({
    from: digest.from === null ? null : mailboxShape,
    to: digest.to.map(() => mailboxShape),
    toOmitted: expect.any(Number),
    subject: expect.any(String),
    preview: expect.any(String),
    attachmentCount: expect.any(Number),
    codes: digest.codes.map(() => expect.any(String)),
    parseFailed: expect.any(Boolean),
  });
  expect(digest.preview.length).toBeLessThanOrEqual(200);
  expect(jsonBytes(digest.subject)).toBeLessThanOrEqual(400 + 2);
  expect(digest.to.length).toBeLessThanOrEqual(100);
  expect(jsonBytes(digest)).toBeLessThan(SUMMARY_MAX_JSON_BYTES);
  expect(digest.codes.length).toBeLessThanOrEqual(5);
  expect(Number.isInteger(digest.attachmentCount) && digest.attachmentCount >= 0).toBe(true);
}

/**
 * Resolves to the parse, or to null when it has not settled within `ms`. A
 * window rather than a condition, as nothing announces a parse that never
 * settles; a slow machine can only turn a result into null, never the other
 * way, and no caller fails on a null it did not expect.
 */
function parseWithin(raw: Buffer, ms: number): Promise<MessageDigest | null> {
  return Promise.race([fullDigest(raw), new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);
}

describe('leanDigest gives the digest of the full parse', () => {
  it.each([...emlFiles('../fixtures/mail/'), ...emlFiles('../hostile/corpus/')])('for $name', async ({ raw }) => {
    expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
  });

  it(`for each of the ${corpus.length} code-corpus entries sent as mail`, async () => {
    for (const [index, entry] of corpus.entries()) {
      const raw = corpusMail(entry, index);
      expect(await leanDigest(raw), entry.name).toStrictEqual(await fullDigest(raw));
    }
  });

  it.each(MESSAGE_KINDS)('for the benchmark message %s', async (kind) => {
    const raw = benchMail(kind);
    expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
  });

  it.each(GENERATED.filter((hostile) => !(hostile.name in DELIBERATE)))('for the generated hostile message $name', async (hostile) => {
    const raw = hostile.build();
    expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
  }, 60_000);

  it('for generated well-formed mail of every ordinary shape', async () => {
    await fc.assert(fc.asyncProperty(wellFormedMail, async (raw) => {
      expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
    }), { numRuns: 150 });
  }, 60_000);

  it('for MIME-like line soup, wherever the full parse settles', async () => {
    await fc.assert(fc.asyncProperty(mimeish, async (raw) => {
      const full = await parseWithin(raw, 500);
      if (full !== null) expect(await leanDigest(raw)).toStrictEqual(full);
    }), { numRuns: 200 });
  }, 120_000);
});

describe('leanDigest within the full parse limits', () => {
  it('reads 999 parts, and fails a message of 1,000 as the full parse does', async () => {
    const most = multipartMail(999);
    const tooMany = multipartMail(1_000);
    expect(await leanDigest(most)).toStrictEqual(await fullDigest(most));
    expect((await leanDigest(most)).parseFailed).toBe(false);
    expect(await leanDigest(tooMany)).toStrictEqual(await fullDigest(tooMany));
    expect(await leanDigest(tooMany)).toMatchObject({ parseFailed: true, subject: 'parts', attachmentCount: 0 });
  });

  it('fails a header block over 1 MiB as the full parse does', async () => {
    const raw = Buffer.from(`Subject: big${CRLF}${'X-Pad: 1\r\n'.repeat(17_000)}${CRLF}body`, 'latin1');
    expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
    expect((await leanDigest(raw)).parseFailed).toBe(true);
  });

  // The digest decodes text as far as findCodes and the preview read it, and
  // HTML as far as htmlToText reads it: these fail if either reads further.
  it('finds codes as deep in long text and HTML as the full parse does', async () => {
    const deep = (words: number, code: string): string => `${'lorem ipsum '.repeat(words)}\nYour verification code is ${code}.\n`;
    const text = [deep(100, '111111'), deep(600, '222222'), deep(60, '333333'), deep(9_000, '444444')].join('');
    const html = `<p>${deep(21_000, '555555')}</p><p>${deep(1_000, '666666')}</p>`;
    const textMail = Buffer.from(['Subject: long text', 'Content-Type: text/plain', '', text].join(CRLF), 'latin1');
    const htmlMail = Buffer.from([
      'Subject: long html', 'Content-Type: multipart/alternative; boundary="a"', '',
      '--a', 'Content-Type: text/plain', '', 'No code here.', '--a', 'Content-Type: text/html', '', html, '--a--', '',
    ].join(CRLF), 'latin1');
    expect(await leanDigest(textMail)).toStrictEqual(await fullDigest(textMail));
    expect(await leanDigest(htmlMail)).toStrictEqual(await fullDigest(htmlMail));
  });

  it('reads a charset outside the WHATWG list (CP437) as the full parse does', async () => {
    const raw = Buffer.from(`Subject: dos${CRLF}Content-Type: text/plain; charset=cp437${CRLF}${CRLF}Gr\x81\xe1e${CRLF}`, 'latin1');
    expect((await leanDigest(raw)).preview).toBe('Grüße');
    expect(await leanDigest(raw)).toStrictEqual(await fullDigest(raw));
  });
});

// One text part split by mailsplit, as lean-digest.ts gets it.
async function textSource(raw: Buffer): Promise<TextSource> {
  const splitter = new Splitter() as unknown as Transform;
  const source: { node: MimeNode | null; body: Buffer[] } = { node: null, body: [] };
  splitter.on('data', (chunk: SplitterChunk) => {
    if (chunk.type === 'node') source.node ??= chunk;
    else if (chunk.type === 'body') source.body.push(chunk.value);
  });
  await new Promise((resolve) => splitter.on('end', resolve).end(raw));
  if (source.node === null) throw new Error('no node');
  return { node: source.node, body: source.body };
}

// Lines that make a cut costly to get right: multi-byte and surrogate-pair
// characters, flowed soft breaks, quote marks and signature separators,
// bare CRs, and bytes that are not text in any charset.
const PART_LINES = fc.oneof(
  fc.constantFrom('Grüße, naïve café ', '> > quoted and soft ', '>> deeper', '-- ', 'код подтверждения 482913', '日本語のテキスト ', '😀😀 ', '', ' stuffed', 'line\r'),
  fc.uint8Array({ maxLength: 90 }).map((bytes) => Buffer.from(bytes).toString('latin1').replace(/[\r\n]/g, '')),
  fc.string({ maxLength: 90 }),
);
const CHARSETS = ['utf-8', 'iso-8859-1', 'windows-1251', 'koi8-r', 'shift_jis', 'euc-jp', 'iso-2022-jp', 'gb18030', 'big5', 'utf-16le', 'utf-16', 'utf-32', 'x-unknown'];

describe('partText from a window of a big part', () => {
  it('starts exactly as the whole text does, and is as long as asked', async () => {
    const bigPart = fc.record({
      lines: fc.array(PART_LINES, { minLength: 1, maxLength: 40 }),
      copies: fc.integer({ min: 4_000, max: 9_000 }),
      charset: fc.constantFrom(...CHARSETS),
      encoding: fc.constantFrom('7bit', 'quoted-printable', 'base64'),
      flowed: fc.constantFrom('', '; format=flowed', '; format=flowed; delsp=yes'),
      need: fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 100_000 })),
    });
    await fc.assert(fc.asyncProperty(bigPart, async ({ lines, copies, charset, encoding, flowed, need }) => {
      const body = Buffer.from(Array.from({ length: copies }, (_, i) => lines[i % lines.length]).join('\n'), 'utf8');
      const raw = Buffer.from([
        `Content-Type: text/plain; charset=${charset}${flowed}`, `Content-Transfer-Encoding: ${encoding}`, '', transferEncode(body, encoding),
      ].join(CRLF), 'latin1');
      const source = await textSource(raw);
      const whole = await partText(source, Number.MAX_SAFE_INTEGER);
      const start = await partText(source, need);
      if (start !== whole) {
        expect(start.length).toBeGreaterThanOrEqual(need);
        expect(whole.startsWith(start)).toBe(true);
      }
    }), { numRuns: 150 });
  }, 120_000);
});

describe('leanDigest on any bytes', () => {
  it('never rejects and always resolves to a well-formed digest', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(rawBytes, mimeish, wellFormedMail), async (raw) => expectWellFormed(await leanDigest(raw))), { numRuns: 500 });
  }, 60_000);
});

describe('leanDigest where it reads a message differently on purpose', () => {
  it('answers for an inline message/rfc822 whose header block runs to the end, on which the full parse never settles', async () => {
    const raw = Buffer.from(`From: a@example.com${CRLF}Subject: embedded${CRLF}Content-Type: message/rfc822${CRLF}Content-Disposition: inline`, 'latin1');
    expect(await parseWithin(raw, 1_000)).toBeNull();
    expect(await leanDigest(raw)).toStrictEqual({
      from: { name: '', address: 'a@example.com' }, to: [], toOmitted: 0, subject: 'embedded', preview: '', attachmentCount: 0, codes: [], parseFailed: false,
    });
  });
});
