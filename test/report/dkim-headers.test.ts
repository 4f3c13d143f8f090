import { describe, expect, it } from 'vitest';
import { capSignatures, MAX_SIGNATURES } from '../../src/report/dkim-headers.js';

const signature = (index: number) => `DKIM-Signature: v=1; a=rsa-sha256; d=d${index}.test; s=s;\r\n\th=from; bh=AAAA; b=AAAA`;
const message = (signatures: number, lineEnd = '\r\n') => Buffer.from(
  [...Array.from({ length: signatures }, (_, index) => signature(index)), 'From: a@good.test', 'Subject: x', '', 'DKIM-Signature: in the body stays', '']
    .join('\r\n').replaceAll('\r\n', lineEnd),
  'latin1',
);

describe('capSignatures', () => {
  it('leaves a message with few signatures as it is, the same buffer', () => {
    const raw = message(MAX_SIGNATURES);
    expect(capSignatures(raw)).toEqual({ raw, kept: MAX_SIGNATURES, dropped: 0 });
    expect(capSignatures(raw).raw).toBe(raw);
  });

  it('keeps the first signatures with their folded lines, every other header and the body byte for byte', () => {
    const raw = message(300);
    const capped = capSignatures(raw);
    expect(capped).toMatchObject({ kept: MAX_SIGNATURES, dropped: 290 });
    const text = capped.raw.toString('latin1');
    expect(text.split('\r\n\r\n')[0]?.match(/^DKIM-Signature:/gm)).toHaveLength(MAX_SIGNATURES);
    expect(text.startsWith([0, 1].map(signature).join('\r\n'))).toBe(true);
    expect(text).not.toContain('d=d10.test');
    expect(text.endsWith('From: a@good.test\r\nSubject: x\r\n\r\nDKIM-Signature: in the body stays\r\n')).toBe(true);
  });

  it('reads bare LF line ends and a message without a body', () => {
    expect(capSignatures(message(12, '\n'))).toMatchObject({ kept: MAX_SIGNATURES, dropped: 2 });
    const headersOnly = Buffer.from(Array.from({ length: 11 }, (_, index) => signature(index)).join('\r\n'));
    expect(capSignatures(headersOnly)).toMatchObject({ kept: MAX_SIGNATURES, dropped: 1 });
  });
});
