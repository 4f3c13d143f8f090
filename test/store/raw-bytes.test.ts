import { describe, expect, it } from 'vitest';
import { joinRaw, rawLength } from '../../src/store/raw-bytes.js';

describe('raw bytes', () => {
  it('measures and joins chunks in order', () => {
    const chunks = [Buffer.from('Subject: hi\r\n'), Buffer.from(''), Buffer.from('\r\nbody')];
    expect(rawLength(chunks)).toBe(19);
    expect(joinRaw(chunks).toString()).toBe('Subject: hi\r\n\r\nbody');
    expect(rawLength([])).toBe(0);
    expect(joinRaw([])).toEqual(Buffer.alloc(0));
  });

  it('hands one Buffer back as it is, without a copy', () => {
    const raw = Buffer.from('Subject: hi\r\n\r\nbody');
    expect(rawLength(raw)).toBe(raw.length);
    expect(joinRaw(raw)).toBe(raw);
  });
});
