import { renderSafeHtml } from '../sanitize/html.js';
import { readMessage } from '../mail/read/digest.js';
import { leanDigest } from '../mail/read/lean-digest.js';
import type { WarmReply } from './jobs.js';

// Small, but it takes every path a read takes: headers, a text and an HTML
// part, and an attachment, so mailparser, libmime and iconv are loaded too.
const SAMPLE = Buffer.from([
  'From: Warm Up <warm@example.com>',
  'To: reader@example.com',
  'Subject: =?UTF-8?Q?warm_=E2=9C=93?=',
  'Date: Sat, 05 Dec 2026 12:00:00 +0000',
  'Message-ID: <warm-up@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: multipart/alternative; boundary="a"',
  '',
  '--a',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello.',
  '--a',
  'Content-Type: text/html; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p style=3D"color:red">Hello <a href=3D"https://example.com">caf=E9</a>.</p>',
  '--a--',
  '--b',
  'Content-Type: text/plain; name="a.txt"',
  'Content-Disposition: attachment; filename="a.txt"',
  'Content-Transfer-Encoding: base64',
  '',
  'aGVsbG8=',
  '--b--',
  '',
].join('\r\n'));

/**
 * Loads and runs once everything a read needs (the parser, the lean digest,
 * the sanitiser), so the first read after start costs what the hundredth
 * does rather than half a second of module loading (BENCHMARKS.md, "First
 * read after start"). Each thread then holds the sanitiser (about 5 MB)
 * even if nobody ever opens an HTML body: the price of a fast first read.
 */
export async function warmUp(): Promise<WarmReply> {
  const started = performance.now();
  try {
    const { parsed } = await readMessage(SAMPLE);
    await leanDigest(SAMPLE);
    renderSafeHtml(parsed.html ?? '', { allowRemote: false, resolveContentId: () => null });
    return { kind: 'warm', ms: performance.now() - started, failure: null };
  } catch (error) {
    return { kind: 'warm', ms: performance.now() - started, failure: error instanceof Error ? error.message : String(error) };
  }
}
