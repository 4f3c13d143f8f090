/**
 * The differential corpus: Ephemail reads each message as Python's email
 * package reads it. The corpus is CPython's own email test messages
 * (Lib/test/test_email/data/msg_*.txt, read where the installed Python
 * keeps them, never copied here), the real-world shaped mail of
 * test/fixtures/mail/, and the broken mail of corpus/ beside this file.
 * python-email.py reads them all in one python3 process; here the same
 * bytes go through Ephemail's own reading code. Subject, sender, text and
 * attachment names must agree, or the message is in DIFFERENCES with the
 * field, why ours is the better reading, and a check that the difference is
 * still the one described.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMessage, type MailboxAddress, type ParsedMessage } from '../../src/mail/parse/parse.js';
import { digestMessage } from '../../src/mail/read/digest.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';

/** What a reader is shown of a message, as both readers report it. */
interface Reading {
  subject: string;
  from: MailboxAddress | null;
  text: string;
  attachments: Array<string | null>;
}

type Field = keyof Reading;

/** How ours reads a message differently, why ours is the better reading, and whether that still holds. */
interface Difference {
  field: Field;
  why: string;
  holds: (ours: Reading, python: Reading) => boolean;
}

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('python-email.py', import.meta.url));
const FIELDS: readonly Field[] = ['subject', 'from', 'text', 'attachments'];

/**
 * Where the installed Python keeps its email test messages. Without python3,
 * or with a Python installed without its test package, the test fails and
 * says what to install (.ci/run installs it as it installs Chromium).
 */
async function pythonCorpus(): Promise<string> {
  const find = 'import os, test.test_email as t; print(os.path.join(os.path.dirname(t.__file__), "data"))';
  try {
    return (await run('python3', ['-c', find])).stdout.trim();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing
      ? 'python3 is not installed: the differential corpus compares Ephemail with Python\'s email package. On Debian: apt-get install python3, then libpython3.X-testsuite for its version 3.X (.ci/run installs both).'
      : 'python3 has no test.test_email package, which holds the email test messages of the differential corpus. On Debian: apt-get install libpython3.X-testsuite for its version 3.X (.ci/run installs it).',
    { cause: error });
  }
}

function filesIn(directory: string, pattern: RegExp): string[] {
  return readdirSync(directory).filter((name) => pattern.test(name)).sort().map((name) => join(directory, name));
}

const CORPUS = [
  ...filesIn(await pythonCorpus(), /^msg_.*\.txt$/),
  ...filesIn(fileURLToPath(new URL('../fixtures/mail/', import.meta.url)), /\.eml$/),
  ...filesIn(fileURLToPath(new URL('corpus/', import.meta.url)), /\.eml$/),
];
const PYTHON = JSON.parse((await run('python3', [SCRIPT, ...CORPUS], { maxBuffer: 64 * 1024 * 1024 })).stdout) as Record<string, Reading | { error: string }>;

/**
 * What is compared, made alike where the two differ in layout only:
 * - text: line endings as LF (Python keeps the message's own, mailparser
 *   writes LF); no blanks at line ends (a sender's trailing spaces are not
 *   shown); runs of blank lines as one and none at the start or end
 *   (mailparser joins parts with a newline and puts an empty piece where
 *   HTML stands beside text; Python's parts keep their own final newlines).
 * - subject: each run of whitespace as one space, trimmed (unfolding keeps
 *   the tab that started a continuation line in Python, mailparser makes
 *   it a space; on one line the two look alike).
 */
function comparable(reading: Reading): Reading {
  return {
    ...reading,
    subject: reading.subject.replace(/\s+/g, ' ').trim(),
    text: reading.text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, ''),
  };
}

function ours(parsed: ParsedMessage): Reading {
  const { subject, from, text, attachments } = parsed;
  return { subject, from, text, attachments: attachments.map((attachment) => attachment.filename) };
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

/** Every line of `shown` is in `within`, in order, and `within` has more. */
function showsAllOf(within: string, shown: string): boolean {
  const withinLines = lines(within);
  let from = 0;
  for (const line of lines(shown)) {
    const at = withinLines.indexOf(line, from);
    if (at < 0) return false;
    from = at + 1;
  }
  return withinLines.length > lines(shown).length;
}

/** Every name of `found` is in `within`, and `within` has more. */
function findsAllOf(within: ReadonlyArray<string | null>, found: ReadonlyArray<string | null>): boolean {
  const rest = [...within];
  for (const name of found) {
    const at = rest.indexOf(name);
    if (at < 0) return false;
    rest.splice(at, 1);
  }
  return rest.length > 0;
}

const COMMENT_NAME: Difference = {
  field: 'from',
  why: 'The sender is written "address (Name)": ours takes the comment for the name, as mail clients show it; Python\'s display name leaves comments out.',
  holds: (mine, python) => mine.from !== null && mine.from.address === python.from?.address && python.from.name === '' && mine.from.name !== '',
};
const NO_ADDRESS: Difference = {
  field: 'from',
  why: 'From holds no address ("foo", "<>"): ours shows no sender rather than a fragment a reader could take for an address; Python makes one of it and notes a defect.',
  holds: (mine, python) => mine.from === null && python.from !== null && !python.from.address.includes('@'),
};
const DIGEST_TEXT: Difference = {
  field: 'text',
  why: 'A digest: ours shows its messages in the text, header lines and all, where Python reads each as an enclosed message (RFC 2046 §5.1.5), shown as an attachment; ours hides none of the digest behind a download.',
  holds: (mine, python) => showsAllOf(mine.text, python.text),
};
const DIGEST_ATTACHMENTS: Difference = {
  field: 'attachments',
  why: 'A digest\'s messages are in ours\' text (see its text), not nameless attachments.',
  holds: (mine, python) => findsAllOf(python.attachments, mine.attachments) && python.attachments.every((name) => name === null),
};
const FORWARDED: Difference = {
  field: 'text',
  why: 'The message is one enclosed message: ours puts its From, Subject, Date and To lines before its text, as a client shows a forwarded message; Python shows the text alone.',
  holds: (mine, python) => {
    const withoutHeaderLines = mine.text.replace(/^(?:From|Subject|Date|To|Cc|Bcc): .*$/gm, '');
    return withoutHeaderLines !== mine.text && withoutHeaderLines.trim() === python.text;
  },
};
const REUSED_BOUNDARY: Difference = {
  field: 'attachments',
  why: 'A multipart inside another reuses its boundary: ours still finds every part after it, which Python loses.',
  holds: (mine, python) => findsAllOf(mine.attachments, python.attachments),
};
const HTML_ONLY: Difference = {
  field: 'text',
  why: 'HTML-only mail: ours derives the text from the HTML, as the API documents; Python has no text/plain part to show.',
  holds: (mine, python) => python.text === '' && /\S/.test(mine.text),
};
const OBSOLETE_SYNTAX = 'A field written "Subject : …" with a blank before the colon is RFC 5322\'s obsolete syntax, which receivers must still read: ours reads it; Python\'s parser takes it for the first line of the body.';

/** The messages read differently, by file name, with each field that differs. */
const DIFFERENCES: Record<string, Difference[]> = {
  'msg_01.txt': [COMMENT_NAME],
  'msg_02.txt': [DIGEST_TEXT, DIGEST_ATTACHMENTS],
  'msg_03.txt': [COMMENT_NAME],
  'msg_04.txt': [COMMENT_NAME],
  'msg_05.txt': [NO_ADDRESS],
  'msg_06.txt': [COMMENT_NAME, FORWARDED],
  'msg_11.txt': [FORWARDED],
  'msg_14.txt': [COMMENT_NAME],
  'msg_15.txt': [REUSED_BOUNDARY],
  'msg_20.txt': [COMMENT_NAME],
  'msg_27.txt': [COMMENT_NAME],
  'msg_29.txt': [COMMENT_NAME],
  'msg_30.txt': [DIGEST_TEXT, DIGEST_ATTACHMENTS],
  'msg_34.txt': [DIGEST_TEXT, DIGEST_ATTACHMENTS],
  'msg_39.txt': [REUSED_BOUNDARY],
  'msg_43.txt': [NO_ADDRESS],
  'msg_44.txt': [COMMENT_NAME],
  'msg_46.txt': [FORWARDED],
  'html-only.eml': [HTML_ONLY],
  'obsolete-header-syntax.eml': [
    { field: 'subject', why: OBSOLETE_SYNTAX, holds: (mine, python) => python.subject === '' && mine.subject !== '' },
    { field: 'text', why: OBSOLETE_SYNTAX, holds: (mine, python) => python.text.startsWith(`Subject : ${mine.subject}`) && python.text.endsWith(mine.text) },
  ],
};

describe('the differential corpus', () => {
  it('holds Python\'s email test messages, ours, and no two files of one name', () => {
    expect(CORPUS.filter((path) => basename(path).startsWith('msg_')).length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((path) => basename(path))).size).toBe(CORPUS.length);
    expect(Object.keys(DIFFERENCES).filter((name) => !CORPUS.some((path) => basename(path) === name))).toEqual([]);
  });
});

describe('Ephemail reads mail as Python\'s email package does', () => {
  it.each(CORPUS.map((path) => [basename(path), path]))('%s', async (name, path) => {
    const python = PYTHON[path];
    if (python === undefined || 'error' in python) throw new Error(`Python could not read ${name}: ${python?.error ?? 'no answer'}`);
    const mine = comparable(ours(await parseMessage(readFileSync(path))));
    const theirs = comparable(python);
    const differences = DIFFERENCES[name] ?? [];
    for (const field of FIELDS) {
      const listed = differences.filter((difference) => difference.field === field);
      if (listed.length === 0) {
        expect(mine[field], `${name}: ${field}`).toEqual(theirs[field]);
        continue;
      }
      expect(mine[field], `${name}: ${field} is listed as differing`).not.toEqual(theirs[field]);
      for (const difference of listed) expect(difference.holds(mine, theirs), `${name}: ${field}: ${difference.why}`).toBe(true);
    }
  });
});

describe('every reader of the corpus agrees', () => {
  it.each(CORPUS.map((path) => [basename(path), path]))('the lean digest of %s is the full parse\'s', async (_name, path) => {
    const raw = readFileSync(path);
    expect(await leanDigest(raw)).toEqual(digestMessage(await parseMessage(raw)));
  });
});
