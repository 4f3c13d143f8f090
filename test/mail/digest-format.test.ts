/**
 * Instances on one Redis share the digests they read, tagged with
 * DIGEST_FORMAT, and take only notes of their own format. Code that reads
 * digests differently under the same format would show what older code read:
 * this test fingerprints the digests of fixed inputs, so such a change fails
 * here until DIGEST_FORMAT is bumped and its fingerprint added below.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DIGEST_FORMAT, digestContent, digestRaw, type MessageDigest } from '../../src/mail/read/digest.js';
import { readCorpus } from './codes-corpus.js';

// The fingerprint of the inputs' digests as each format reads them. Add one
// with each bump; an old one never changes, since instances of that format may still run.
const FINGERPRINTS = new Map<number, string>([
  [1, '4c81f65e7073db9fd6186fd0055b9ebca0d36cdb5d2303fe79c79e2def805b5c'],
]);

// Fixtures as they were when format 1 was recorded; fixtures added later change no format.
const MAIL_FIXTURES = [
  'alternative.eml', 'attachment-rfc2231.eml', 'html-only.eml', 'iso-8859-1-german.eml', 'koi8-r-russian.eml', 'received-chain.eml',
  'related-inline-image.eml', 'utf8-8bit-russian.eml', 'utf8-base64-galician.eml', 'utf8-qp-dutch.eml', 'windows-1251-russian.eml',
];
const CORPUS_ENTRIES = 108;

async function fixtureDigests(): Promise<MessageDigest[]> {
  const mail = await Promise.all(MAIL_FIXTURES.map((name) => digestRaw(readFileSync(new URL(`../fixtures/mail/${name}`, import.meta.url)))));
  const corpus = readCorpus('corpus.json').slice(0, CORPUS_ENTRIES).map(({ subject, text, html }) => digestContent({
    subject, from: null, to: [], text, html: html ?? null, attachmentCount: 0, failed: false,
  }));
  return [...mail, ...corpus];
}

it('reads the fixtures as DIGEST_FORMAT read them when recorded: code that reads them differently bumps it', async () => {
  const fingerprint = createHash('sha256').update(JSON.stringify(await fixtureDigests())).digest('hex');
  expect(fingerprint, `the digests changed: bump DIGEST_FORMAT (${DIGEST_FORMAT}) in src/mail/read/digest.ts and add its fingerprint here`)
    .toBe(FINGERPRINTS.get(DIGEST_FORMAT));
});
