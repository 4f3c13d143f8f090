import { describe, expect, it } from 'vitest';
import { displayText, jsonBytes, visibleText } from '../../src/mail/read/display-text.js';

describe('visibleText', () => {
  it('turns line breaks and tabs into spaces', () => {
    expect(visibleText('one\r\ntwo\tthree\u2028four\x85five')).toBe('one  two three four five');
  });

  it('leaves out other controls, lone surrogates and characters that hide or reorder text', () => {
    expect(visibleText('a\x00b\x1bc\x7fd\x9be')).toBe('abcde');
    expect(visibleText('lone \ud800 high, lone \udc00 low')).toBe('lone  high, lone  low');
    expect(visibleText('invoice\u202egnp.exe')).toBe('invoicegnp.exe');
    expect(visibleText('\ufeffzero\u200bwidth\u2066isolated\u2069')).toBe('zerowidthisolated');
  });

  it('keeps pairs, joiners and marks that real text is made of', () => {
    const text = 'Grüße 日本語 😀 👨‍👩‍👧 نیم‌فاصله e\u0301 "quoted" back\\slash';
    expect(visibleText(text)).toBe(text);
  });
});

describe('displayText', () => {
  it('cuts at the bytes JSON takes, counting escapes and multi-byte characters', () => {
    expect(displayText('abcdef', 4)).toBe('abcd');
    expect(displayText('a"b"c', 4)).toBe('a"b');
    expect(displayText('日本語', 7)).toBe('日本');
    expect(displayText('😀😀', 7)).toBe('😀');
  });

  it('never cuts a pair in half', () => {
    for (let maxBytes = 0; maxBytes <= 13; maxBytes++) {
      const shown = displayText('ab😀cd😀', maxBytes);
      expect(jsonBytes(shown) - 2, `at ${maxBytes} bytes`).toBeLessThanOrEqual(maxBytes);
      expect(JSON.stringify(shown), `at ${maxBytes} bytes`).not.toMatch(/\\u/);
    }
  });

  it('turns a thousand control characters into nothing rather than six thousand bytes', () => {
    expect(displayText('\x01'.repeat(1_000), 200)).toBe('');
    expect(displayText(`${'\x01'.repeat(100)}Acme`, 200)).toBe('Acme');
  });

  it('reads no further than the bytes it may keep, however long the text', () => {
    expect(displayText('x'.repeat(10_000_000), 300)).toHaveLength(300);
  });
});
