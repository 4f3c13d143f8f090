import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useHostileServer } from '../support/hostile-server.js';
import { exchange, inboxFor, routeProblems, wellBehaved } from './harness.js';

/**
 * The whole intake boundary, property-tested: any bytes delivered over real
 * SMTP get 250 or a clear 4xx/5xx, never a crash, and once stored every read
 * route answers without a 5xx (HTML inert). Runs are few because each one is
 * a real SMTP transaction and six HTTP requests.
 */

// Lines that steer the parser into its odd corners, mixed with raw bytes.
const MIME_LINES = [
  'Content-Type: multipart/mixed; boundary="b"', 'Content-Type: multipart/alternative; boundary=b', '--b', '--b--', '',
  'Content-Type: text/html; charset=utf-7', 'Content-Type: message/rfc822', 'Content-Type: text/plain; charset="x-unknown"',
  'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable', 'Content-Disposition: attachment; filename*=UTF-8\'\'%00%2e%2e%2f',
  'Content-ID: <../x>', 'Subject: =?utf-8?B?PHNjcmlwdD4=?=', 'From: "<img onerror=x>" <a@b>', '<script>alert(1)</script>', '=ZZ=', '.', '..',
  '<a href="javascript:alert(1)">x</a>', '<svg onload=alert(1)>', 'PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', ' folded continuation',
];

const rawBytes = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes));
const mimeish = fc.array(fc.oneof(fc.constantFrom(...MIME_LINES), fc.string({ unit: 'binary', maxLength: 80 })), { maxLength: 60 })
  .chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((eol) => Buffer.from(lines.join(eol), 'latin1')));

const hostile = useHostileServer();
const { unexpected } = hostile;

describe('any bytes over SMTP', () => {
  it('get 250 or a clear refusal, and once stored every route answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(rawBytes, mimeish), async (raw) => {
        const result = await exchange(hostile.server, inboxFor('property'), raw);
        if (result.reply.code === 250) expect(routeProblems(result, raw)).toEqual([]);
        else expect(result.reply.text).toMatch(/^[45]\d\d [45]\.\d+\.\d+ \S/);
      }),
      // A bare LF then a dot at the very start of DATA, which smtp-server reads differently from later ones.
      { numRuns: 50, examples: [[Buffer.from('\n.\nx\n.\n', 'latin1')]] },
    );
    expect(await wellBehaved(hostile.server)).toBe(true);
    expect(unexpected).toEqual([]);
  }, 120_000);
});
