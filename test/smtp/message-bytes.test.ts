import { describe, expect, it } from 'vitest';
import { messageBytes } from '../../src/smtp/message-bytes.js';

describe('messageBytes', () => {
  it('keeps a message that came in one read in that read\'s buffer', () => {
    // A buffer of its own, as a socket read is; Buffer.from would share Node's pool.
    const text = 'Subject: hi\r\n\r\nbody\r\n.\r\nMAIL FROM:<a@example.com>\r\n';
    const read = Buffer.allocUnsafeSlow(text.length);
    read.write(text, 'latin1');
    const message = read.subarray(0, read.indexOf('.\r\n'));
    expect(messageBytes([message])).toBe(message);
  });

  it('copies a message whose read holds much more than the message', () => {
    const read = Buffer.allocUnsafeSlow(64 * 1024).fill('x');
    const message = read.subarray(0, 100);
    const kept = messageBytes([message]);
    expect(kept).not.toBe(message);
    expect(kept.equals(message)).toBe(true);
  });

  it('joins a message that came in several reads', () => {
    expect(messageBytes([Buffer.from('ab'), Buffer.from('cd')]).toString()).toBe('abcd');
    expect(messageBytes([]).length).toBe(0);
  });
});
