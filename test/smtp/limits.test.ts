import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { formatDuration } from '../../src/config/values.js';
import { createAddressCounter, createLineMeter, hardConnectionCap, serverLimitOptions } from '../../src/smtp/limits.js';
import type { SMTPServerSession } from 'smtp-server';

const limits = parseConfig([], {}).smtp.limits;

describe('createLineMeter', () => {
  const feed = (max: number, ...chunks: string[]) => {
    const meter = createLineMeter(max);
    return chunks.map((chunk) => meter.fits(Buffer.from(chunk, 'latin1')));
  };

  it('takes lines up to the limit, not counting CRLF', () => {
    expect(feed(5, 'abcde\r\nfghij\r\n', '12345\n')).toEqual([true, true]);
    expect(feed(5, 'abcdef\r\n')).toEqual([false]);
  });

  it('measures a line across chunks', () => {
    expect(feed(5, 'ab', 'cd', 'e\r\n', 'xyz\r\n')).toEqual([true, true, true, true]);
    expect(feed(5, 'ab', 'cd', 'ef')).toEqual([true, true, false]);
  });

  it('does not count a CR whose LF comes in the next chunk', () => {
    expect(feed(5, 'abcde\r', '\nnext\r\n')).toEqual([true, true]);
    expect(feed(5, 'abcde', '\r', '\n')).toEqual([true, true, true]);
    expect(feed(5, 'abcdef\r', '\n')).toEqual([false, false]);
  });

  it('agrees with measuring the whole text so far, however it is cut into chunks', () => {
    // The reference: every ended line without its CR, and the unended rest without a final CR.
    const overLimit = (text: string, max: number) => {
      const lines = text.split('\n');
      const rest = lines.pop() ?? '';
      return lines.some((line) => line.replace(/\r$/, '').length > max) || rest.replace(/\r$/, '').length > max;
    };
    // Dense line breaks, and sparse ones whose lines end near the limit, where CRs decide.
    const alphabets = [['a', 'b', '\r', '\n', '\r\n'], ['a', 'b', 'a', 'b', 'a', 'b', 'a', '\r', '\n', '\r\n']];
    const outcomes = new Set<boolean>();
    let seed = 7;
    // A 32-bit linear congruential generator; its high bits, since the low ones cycle fast.
    const random = (below: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 16) % below;
    };
    for (let round = 0; round < 2_000; round++) {
      const alphabet = alphabets[round % alphabets.length] ?? [];
      const max = 1 + random(12);
      const meter = createLineMeter(max);
      let text = '';
      for (let chunks = random(6); chunks >= 0; chunks--) {
        const chunk = Array.from({ length: random(3 * max) }, () => alphabet[random(alphabet.length)]).join('');
        text += chunk;
        const fits = meter.fits(Buffer.from(chunk, 'latin1'));
        expect(fits, JSON.stringify({ max, text })).toBe(!overLimit(text, max));
        outcomes.add(fits);
      }
    }
    expect(outcomes).toEqual(new Set([true, false]));
  });

  it('stays exceeded once a line went over', () => {
    const meter = createLineMeter(3);
    expect(meter.fits(Buffer.from('abcd\r\n'))).toBe(false);
    expect(meter.fits(Buffer.from('a\r\n'))).toBe(false);
    expect(meter.exceeded).toBe(true);
  });
});


describe('createAddressCounter', () => {
  const session = (remoteAddress: string) => ({ remoteAddress } as SMTPServerSession);

  it('admits up to the per-address limit, then refuses, and counts a release', async () => {
    const counter = createAddressCounter({ ...limits, maxConnectionsPerIp: 2 });
    const [a, b, c] = [session('2001:db8::1'), session('2001:db8::2'), session('2001:db8::3')];
    expect(await counter.admit(a)).toBeNull();
    expect(await counter.admit(b)).toBeNull();
    expect((await counter.admit(c))?.responseCode).toBe(421);
    expect(await counter.admit(session('198.51.100.1'))).toBeNull();
    counter.release(a);
    counter.release(a);
    counter.release(c); // refused: no effect
    // A release is counted once the admission it ends is known, a moment later.
    await expect.poll(() => counter.admit(session('2001:db8::4'))).toBeNull();
    expect((await counter.admit(session('2001:db8::9')))?.message).toBe('Too many connections from your address: 2 are open, the most this server allows; close one or try again later.');
  });

  it('releases a session that closed before its admission was counted', async () => {
    const counter = createAddressCounter({ ...limits, maxConnectionsPerIp: 1 });
    const early = session('198.51.100.2');
    const admitted = counter.admit(early);
    counter.release(early);
    expect(await admitted).toBeNull();
    await expect.poll(() => counter.admit(session('198.51.100.2'))).toBeNull();
  });
});

describe('smtp-server options', () => {
  it('map the limits that smtp-server enforces itself', () => {
    expect(serverLimitOptions(limits)).toEqual({ maxClients: 2_500, socketTimeout: 60_000, maxCommandLength: 12_288 });
    expect(hardConnectionCap(limits)).toBe(5_000);
  });
});

describe('formatDuration', () => {
  it.each([[500, '500ms'], [1_000, '1s'], [1_500, '1.5s'], [60_000, '1m'], [90_000, '90s'], [600_000, '10m'], [3_600_000, '1h'], [86_400_000, '1d']])('%d -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
