/**
 * Intake's lean digest must be the digest of the full parse: the same for
 * every stored fixture and hostile message, every code-corpus entry sent as
 * mail, the benchmark's messages, the generated hostile messages and
 * generated well-formed mail. Where it reads a message differently on
 * purpose, the case is in DELIBERATE and in the last block, with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/mail/read/digest.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { quickDigest } from '../../src/mail/quick-digest.js';
import type { MessageDigest } from '../../src/store/message.js';
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

/** Generated hostile messages the lean digest reads differently on purpose, and why. */
const DELIBERATE: Record<string, string> = {
  'quoted-printable soft breaks': 'its only text follows 3 MB of soft line breaks; the digest decodes the first 1 MiB of a part',
};

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
  'Subject: =?utf-8?B?PHNjcmlwdD4=?=', 'From: "<img onerror=x>" <a@b>', 'To: a@b.c, "X, Y" <x@y.z>', 'code 482913 ', '=ZZ=', '=E2=82=AC=',
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
    subject: expect.any(String),
    preview: expect.any(String),
    attachmentCount: expect.any(Number),
    codes: digest.codes.map(() => expect.any(String)),
    parseFailed: expect.any(Boolean),
  });
  expect(digest.preview.length).toBeLessThanOrEqual(200);
  expect(digest.subject.length).toBeLessThanOrEqual(1_000);
  expect(digest.to.length).toBeLessThanOrEqual(100);
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

describe('quickDigest gives the digest of the full parse', () => {
  it.each([...emlFiles('../fixtures/mail/'), ...emlFiles('../hostile/corpus/')])('for $name', async ({ raw }) => {
    expect(quickDigest(raw)).toStrictEqual(await fullDigest(raw));
  });

  it(`for each of the ${corpus.length} code-corpus entries sent as mail`, async () => {
    for (const [index, entry] of corpus.entries()) {
      const raw = corpusMail(entry, index);
      expect(quickDigest(raw), entry.name).toStrictEqual(await fullDigest(raw));
    }
  });

  it.each(MESSAGE_KINDS)('for the benchmark message %s', async (kind) => {
    const raw = benchMail(kind);
    expect(quickDigest(raw)).toStrictEqual(await fullDigest(raw));
  });

  it.each(GENERATED.filter((hostile) => !(hostile.name in DELIBERATE)))('for the generated hostile message $name', async (hostile) => {
    const raw = hostile.build();
    expect(quickDigest(raw)).toStrictEqual(await fullDigest(raw));
  }, 60_000);

  it('for generated well-formed mail of every ordinary shape', async () => {
    await fc.assert(fc.asyncProperty(wellFormedMail, async (raw) => {
      expect(quickDigest(raw)).toStrictEqual(await fullDigest(raw));
    }), { numRuns: 150 });
  }, 60_000);

  it('for MIME-like line soup, wherever the full parse settles', async () => {
    await fc.assert(fc.asyncProperty(mimeish, async (raw) => {
      const full = await parseWithin(raw, 500);
      if (full !== null) expect(quickDigest(raw)).toStrictEqual(full);
    }), { numRuns: 200 });
  }, 120_000);
});

describe('quickDigest within the full parse limits', () => {
  it('reads 999 parts, and fails a message of 1,000 as the full parse does', async () => {
    const most = multipartMail(999);
    const tooMany = multipartMail(1_000);
    expect(quickDigest(most)).toStrictEqual(await fullDigest(most));
    expect(quickDigest(most).parseFailed).toBe(false);
    expect(quickDigest(tooMany)).toStrictEqual(await fullDigest(tooMany));
    expect(quickDigest(tooMany)).toMatchObject({ parseFailed: true, subject: 'parts', attachmentCount: 0 });
  });

  it('fails a header block over 1 MiB as the full parse does', async () => {
    const raw = Buffer.from(`Subject: big${CRLF}${'X-Pad: 1\r\n'.repeat(17_000)}${CRLF}body`, 'latin1');
    expect(quickDigest(raw)).toStrictEqual(await fullDigest(raw));
    expect(quickDigest(raw).parseFailed).toBe(true);
  });

  // The digest decodes the first 100,000 characters of text and 256 KiB of
  // HTML, what findCodes and htmlToText read: these fail if either reads further.
  it('finds codes as deep in long text and HTML as the full parse does', async () => {
    const deep = (words: number, code: string): string => `${'lorem ipsum '.repeat(words)}\nYour verification code is ${code}.\n`;
    const text = [deep(100, '111111'), deep(8_000, '222222'), deep(700, '333333'), deep(9_000, '444444')].join('');
    const html = `<p>${deep(21_000, '555555')}</p><p>${deep(1_000, '666666')}</p>`;
    const textMail = Buffer.from(['Subject: long text', 'Content-Type: text/plain', '', text].join(CRLF), 'latin1');
    const htmlMail = Buffer.from([
      'Subject: long html', 'Content-Type: multipart/alternative; boundary="a"', '',
      '--a', 'Content-Type: text/plain', '', 'No code here.', '--a', 'Content-Type: text/html', '', html, '--a--', '',
    ].join(CRLF), 'latin1');
    expect(quickDigest(textMail)).toStrictEqual(await fullDigest(textMail));
    expect(quickDigest(htmlMail)).toStrictEqual(await fullDigest(htmlMail));
  });
});

describe('quickDigest on any bytes', () => {
  it('never throws and always returns a well-formed digest', () => {
    fc.assert(fc.property(fc.oneof(rawBytes, mimeish, wellFormedMail), (raw) => expectWellFormed(quickDigest(raw))), { numRuns: 500 });
  });
});

describe('quickDigest where it reads a message differently on purpose', () => {
  it('decodes only the first 1 MiB of a part, so text after 3 MB of soft line breaks is not read', async () => {
    const hostile = GENERATED.find((candidate) => candidate.name === 'quoted-printable soft breaks');
    const raw = hostile?.build() ?? Buffer.alloc(0);
    expect((await fullDigest(raw)).preview).toBe('end');
    expect(quickDigest(raw)).toStrictEqual({ ...(await fullDigest(raw)), preview: '' });
  }, 60_000);

  it('reads a charset outside the WHATWG list (here CP437, which the full parse knows) as UTF-8', async () => {
    const raw = Buffer.from(`Subject: dos${CRLF}Content-Type: text/plain; charset=cp437${CRLF}${CRLF}Gr\x81\xe1e${CRLF}`, 'latin1');
    expect((await fullDigest(raw)).preview).toBe('Grüße');
    expect(quickDigest(raw)).toStrictEqual({ ...(await fullDigest(raw)), preview: 'Gr\ufffd\ufffde' });
  });

  it('answers for an inline message/rfc822 whose header block runs to the end, on which the full parse never settles', async () => {
    const raw = Buffer.from(`From: a@example.com${CRLF}Subject: embedded${CRLF}Content-Type: message/rfc822${CRLF}Content-Disposition: inline`, 'latin1');
    expect(await parseWithin(raw, 1_000)).toBeNull();
    expect(quickDigest(raw)).toStrictEqual({
      from: { name: '', address: 'a@example.com' }, to: [], subject: 'embedded', preview: '', attachmentCount: 0, codes: [], parseFailed: false,
    });
  });
});
