import { describe, expect, it } from 'vitest';
import { joinShared, unsharedView } from '../src/shared-bytes.js';

describe('joinShared', () => {
  it('joins the chunks in order into shared memory', () => {
    const joined = joinShared([Buffer.from('Subject: hi\r\n'), new Uint8Array(0), Buffer.from('\r\nbody')]);
    expect(joined.toString('latin1')).toBe('Subject: hi\r\n\r\nbody');
    expect(joined.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(joined.byteLength).toBe(joined.buffer.byteLength);
  });

  it('gives an empty buffer for no chunks', () => {
    expect(joinShared([]).length).toBe(0);
  });
});

describe('unsharedView', () => {
  it('copies shared bytes, which a Response body may not be', () => {
    const shared = joinShared([Buffer.from('raw message')]);
    const view = unsharedView(shared.subarray(4));
    expect(view.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(view).toString()).toBe('message');
    expect(() => new Response(view)).not.toThrow();
  });

  it('views ordinary bytes in place', () => {
    const bytes = Buffer.from('raw message');
    const view = unsharedView(bytes.subarray(4));
    expect(view.buffer).toBe(bytes.buffer);
    expect(Buffer.from(view).toString()).toBe('message');
  });
});
