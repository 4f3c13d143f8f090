/**
 * SUMMARY_MAX_JSON_BYTES holds for the worst a sender and the address rules
 * allow: every display field full of what JSON escapes or writes long, the
 * longest inbox the address rules let through, and the largest numbers.
 */
import { describe, expect, it } from 'vitest';
import { toApiSummary } from '../../src/http/api/views.js';
import { checkAddress } from '../../src/mail/address/address.js';
import { digestContent, digestRaw, summaryOf, SUMMARY_MAX_JSON_BYTES, type MessageDigest } from '../../src/mail/read/digest.js';
import { jsonBytes } from '../../src/mail/read/display-text.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';
import { digestNote } from '../../src/mail/read/digest-shelf.js';
import { MAX_NOTE_BYTES } from '../../src/store/store.js';
import type { MessageHead } from '../../src/store/message.js';

const CRLF = '\r\n';
// What costs most per UTF-16 unit in JSON, and what cleaning must take out.
// A high surrogate is never followed by a low one, which would make a pair.
const HOSTILE_PIECES = ['"', '\ud800', '\\', '\x01', '\udfff', '\x7f', '😀', '\x9b', '日', '\u202e', '\u200b'];

function hostileText(units: number): string {
  let text = '';
  for (let i = 0; text.length < units; i++) text += HOSTILE_PIECES[i % HOSTILE_PIECES.length];
  return text;
}

// Each kind of character the JSON of a field could be made of, as far as the field is long.
const WORST_TEXTS = [
  { kind: 'escapes, controls and lone surrogates', text: hostileText(100_000) },
  { kind: '3-byte characters', text: '日'.repeat(100_000) },
  { kind: '4-byte characters', text: '😀'.repeat(50_000) },
  { kind: 'quotes', text: '"'.repeat(100_000) },
  { kind: 'backslashes', text: '\\'.repeat(100_000) },
];

/**
 * The head of a copy for the longest inbox the address rules let through, in
 * JSON bytes: a tagged one-letter name and a domain of labels of a 4-byte
 * letter, each as long as its A-label may be, as long as the address may be;
 * and the largest times and size.
 */
function worstHead(): MessageHead {
  const fits = (domain: string) => checkAddress(`ä+ö@${domain}`, { smtpUtf8: true }).ok;
  const labels = ['test'];
  for (let label = 'start'; label !== '';) {
    label = '';
    while (fits([`${label}𠀀`, ...labels].join('.'))) label += '𠀀';
    if (label !== '') labels.unshift(label);
  }
  const check = checkAddress(`ä+ö@${labels.join('.')}`, { smtpUtf8: true });
  if (!check.ok) throw new Error(check.reason.text);
  const { inbox, tag } = check.address;
  return { id: '01k0x7d9q3m8f5t2v6w4yzab7c', inbox, tag, receivedAt: 8.64e15, expiresAt: 8.64e15, size: Number.MAX_SAFE_INTEGER };
}

/** Text that makes findCodes report as many codes, as long, as it ever does. */
function codeText(): string {
  return Array.from({ length: 20 }, (_, i) => `Your verification code is ABCD-${String(12345670 + i)}.`).join('\n');
}

function summaryBytes(digest: MessageDigest): number {
  return jsonBytes(toApiSummary(summaryOf(worstHead(), digest)));
}

describe('SUMMARY_MAX_JSON_BYTES', () => {
  it.each(WORST_TEXTS)('bounds a summary made of $kind in every display field', ({ text }) => {
    const mailbox = { name: text, address: text };
    const digest = digestContent({
      subject: text, from: mailbox, to: Array.from({ length: 30_000 }, () => mailbox),
      // The preview reads the first 800 characters, the code finder 8 KB.
      text: `${text.slice(0, 800)}\n${codeText()}`, html: null, attachmentCount: 999, failed: false,
    });
    const bytes = summaryBytes(digest);
    expect(bytes).toBeLessThanOrEqual(SUMMARY_MAX_JSON_BYTES);
    // The inputs are worst cases only if they come near the bound.
    expect(bytes).toBeGreaterThan(SUMMARY_MAX_JSON_BYTES * 0.75);
    expect(digest.codes).toHaveLength(5);
    expect(digest.toOmitted).toBe(30_000 - digest.to.length);
    // Shared through Redis as a note on the message's bytes, which the store keeps only when this small.
    expect(Buffer.byteLength(digestNote(digest))).toBeLessThanOrEqual(MAX_NOTE_BYTES);
  });

  it('leaves no escapes in the JSON of a summary, and no empty recipient at the cut', () => {
    const mailbox = { name: hostileText(5_000), address: hostileText(5_000) };
    const digest = digestContent({ subject: hostileText(5_000), from: mailbox, to: [mailbox, mailbox], text: hostileText(5_000), html: null, attachmentCount: 0, failed: false });
    const json = JSON.stringify(toApiSummary(summaryOf(worstHead(), digest)));
    expect(json).toContain('\\"');
    expect(json).not.toMatch(/\\u[0-9a-f]{4}|\\[bfnrt]/);
    expect(digest.to.length).toBeGreaterThan(0);
    expect(digest.to.every((shown) => shown.name !== '' && shown.address !== '')).toBe(true);
  });

  it('bounds the summary of a raw message of control-character names and a hundred long recipients, read by either reader', async () => {
    const controls = `=?utf-8?B?${Buffer.from('\x01'.repeat(700)).toString('base64')}?=`;
    const recipient = (i: number) => `"${'\u00e9'.repeat(500)}" <${'r'.repeat(60)}${i}@${'d'.repeat(60)}.example>`;
    const raw = Buffer.from([
      `From: ${controls} <${'s'.repeat(900)}@example.com>`,
      `To: ${Array.from({ length: 100 }, (_, i) => recipient(i)).join(`,${CRLF} `)}`,
      `Subject: ${controls}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `${'\x01\u0000"'.repeat(2_000)} the end`,
    ].join(CRLF), 'utf8');
    const lean = await leanDigest(raw);
    expect(lean).toStrictEqual(await digestRaw(raw));
    expect(lean).toMatchObject({ subject: '', from: { name: '' }, parseFailed: false });
    expect(lean.to.length + lean.toOmitted).toBe(100);
    expect(lean.toOmitted).toBeGreaterThan(90);
    expect(summaryBytes(lean)).toBeLessThanOrEqual(SUMMARY_MAX_JSON_BYTES);
  });
});
