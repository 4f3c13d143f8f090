import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/mail/parse/parse.js';
import { riskyAttachment } from '../../../src/report/checks/attachments.js';
import { MAX_ZIP_NAMES, zipEntryNames } from '../../../src/report/checks/zip-names.js';
import { composed, crlf } from './check-support.js';

// Made with Info-ZIP's zip: readme.txt, docs/notes.txt and invoice.pdf.js, with an archive comment.
const scriptInside = () => readFile(new URL('../../fixtures/report/script-inside.zip', import.meta.url));
const textOnly = () => readFile(new URL('../../fixtures/report/text-only.zip', import.meta.url));
const attached = async (...attachments: Array<{ filename?: string; content: string | Buffer; contentType?: string }>) =>
  (await composed({ text: 'See attached', attachments })).attachments;

describe('risky-attachment', () => {
  it('fails executables, scripts and macro-enabled Office files, naming each and the disguised one', async () => {
    const check = riskyAttachment(await attached(
      { filename: 'setup.exe', content: 'MZ' },
      { filename: 'invoice.pdf.exe', content: 'MZ' },
      { filename: 'Budget.XLSM', content: 'PK' },
      { filename: 'notes.txt', content: 'hi' },
    ));
    expect(check).toEqual({
      id: 'risky-attachment', status: 'fail', penalty: 1.5,
      message: 'Providers block or strip executable, script, disk-image and macro-enabled attachments, and this message has ' +
        '"setup.exe", "invoice.pdf.exe" (posing as a .pdf) and "Budget.XLSM"; share such files through a link instead.',
      messageCode: 'risky-attachment.found',
      messageValues: {
        files: ['"setup.exe"', { code: 'risky-attachment.disguised', values: { name: '"invoice.pdf.exe"', disguise: 'pdf' } }, '"Budget.XLSM"'],
      },
      messageNotes: [],
    });
  });

  it('sees through trailing dots and blanks', async () => {
    const check = riskyAttachment(await attached({ filename: 'photo.jpg .scr. ', content: 'MZ' }));
    expect(check.message).toContain('has "photo.jpg .scr. " (posing as a .jpg);');
  });

  it('names an unnamed executable by its type', async () => {
    const parsed = await parseMessage(crlf(
      'Content-Type: multipart/mixed; boundary=b', '',
      '--b', 'Content-Type: text/plain', '', 'See attached', '--b', 'Content-Type: application/x-msdownload', 'Content-Transfer-Encoding: base64', '', 'TVo=', '--b--', '',
    ));
    expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual([null]);
    expect(riskyAttachment(parsed.attachments)).toMatchObject({
      message: expect.stringContaining('has an unnamed application/x-msdownload;'),
      messageValues: { files: [{ code: 'risky-attachment.unnamed', values: { type: 'application/x-msdownload' } }] },
    });
  });

  it('looks inside ZIP archives, naming the member and the archive', async () => {
    const check = riskyAttachment(await attached({ filename: 'files.zip', content: await scriptInside() }, { filename: 'safe.zip', content: await textOnly() }));
    expect(check).toMatchObject({ status: 'fail', message: expect.stringContaining('"invoice.pdf.js" (posing as a .pdf) inside "files.zip";') });
    const disguised = { code: 'risky-attachment.disguised', values: { name: '"invoice.pdf.js"', disguise: 'pdf' } };
    expect(check.messageValues).toEqual({ files: [{ code: 'risky-attachment.in-archive', values: { file: disguised, archive: '"files.zip"' } }] });
  });

  it('names an archive without a name, and lists four risky files as three and one more', async () => {
    const parsed = await parseMessage(crlf(
      'Content-Type: multipart/mixed; boundary=b', '',
      '--b', 'Content-Type: text/plain', '', 'See attached', '--b', 'Content-Type: application/zip', 'Content-Transfer-Encoding: base64', '',
      (await scriptInside()).toString('base64'), '--b--', '',
    ));
    const inside = riskyAttachment(parsed.attachments);
    expect(inside.message).toContain('has "invoice.pdf.js" (posing as a .pdf) inside "an unnamed archive";');
    expect(inside.messageValues.files).toEqual([{ code: 'risky-attachment.in-unnamed-archive', values: { file: expect.objectContaining({ code: 'risky-attachment.disguised' }) } }]);
    const four = riskyAttachment(await attached(...['a.exe', 'b.exe', 'c.exe', 'd.exe'].map((filename) => ({ filename, content: 'MZ' }))));
    expect(four.message).toContain('has "a.exe", "b.exe", "c.exe" and 1 more;');
    expect(four.messageValues.files).toEqual(['"a.exe"', '"b.exe"', '"c.exe"', { code: 'list.more', values: { count: 1 } }]);
  });

  it('passes documents, images and harmless archives', async () => {
    const check = riskyAttachment(await attached({ filename: 'report.pdf', content: '%PDF' }, { filename: 'safe.zip', content: await textOnly() }));
    expect(check).toMatchObject({ status: 'pass', penalty: 0, messageCode: 'risky-attachment.none', messageValues: {} });
  });

  it('cuts a 10,000-character file name to 80 characters, invisible characters left out', async () => {
    const check = riskyAttachment(await attached({ filename: `\u202e${'a'.repeat(10_000)}.exe`, content: 'MZ' }));
    expect(check.message).toContain(`"${'a'.repeat(79)}…"`);
    expect(check.message.length).toBeLessThan(300);
  });
});

describe('zipEntryNames', () => {
  it('lists the names of a real archive with a comment', async () => {
    expect(zipEntryNames(await scriptInside())).toEqual(['readme.txt', 'docs/notes.txt', 'invoice.pdf.js']);
  });

  it(`returns nothing for bytes that are no archive, and reads at most ${MAX_ZIP_NAMES} names of a forged directory`, async () => {
    expect(zipEntryNames(Buffer.from('PK\x05\x06 not really'))).toEqual([]);
    expect(zipEntryNames(Buffer.alloc(0))).toEqual([]);
    // An end record claiming 65,535 entries, then one pointing past the end, then a cut one.
    const archive = await scriptInside();
    const forged = Buffer.from(archive);
    const end = forged.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    forged.writeUInt16LE(0xffff, end + 10);
    expect(zipEntryNames(forged)).toEqual(['readme.txt', 'docs/notes.txt', 'invoice.pdf.js']);
    forged.writeUInt32LE(0xffffffff, end + 16);
    expect(zipEntryNames(forged)).toEqual([]);
    expect(zipEntryNames(archive.subarray(0, archive.length - 40))).toEqual([]);
  });

  it(`reads no more than ${MAX_ZIP_NAMES} names of an archive listing 1,500`, async () => {
    const archive = await scriptInside();
    const end = archive.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    const directoryStart = archive.readUInt32LE(end + 16);
    // The real directory's first entry (readme.txt) 1,500 times, and an end record that says so.
    const entryLength = 46 + [28, 30, 32].reduce((sum, at) => sum + archive.readUInt16LE(directoryStart + at), 0);
    const entry = archive.subarray(directoryStart, directoryStart + entryLength);
    const endRecord = Buffer.from(archive.subarray(end, end + 22));
    endRecord.writeUInt16LE(1500, 8);
    endRecord.writeUInt16LE(1500, 10);
    endRecord.writeUInt16LE(0, 20);
    const names = zipEntryNames(Buffer.concat([archive.subarray(0, directoryStart), ...Array(1500).fill(entry), endRecord]));
    expect(names).toHaveLength(MAX_ZIP_NAMES);
    expect(new Set(names)).toEqual(new Set(['readme.txt']));
  });
});
