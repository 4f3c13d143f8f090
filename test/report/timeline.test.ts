import { describe, expect, it } from 'vitest';
import type { HeaderLine } from '../../src/mail/parse/headers.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import type { ReportCheck, Timeline } from '../../src/report/report.js';
import { deliveryTimeline, RECEIVED_LIMIT, timelineChecks, type Arrival } from '../../src/report/timeline.js';
import type { IntakeSession } from '../../src/store/message.js';

const session: IntakeSession = { clientIp: '192.0.2.25', helo: 'mx2.good.test', tls: true, startedAt: Date.parse('2026-12-03T10:20:00Z') };
const here: Arrival = { session, serverName: 'ephemail.test' };
const at = (iso: string): number => Date.parse(iso);

function received(from: string, by: string, date: string): HeaderLine {
  return { name: 'received', value: `from ${from} (${from} [192.0.2.1]) by ${by} with ESMTPS id 4Xy7; ${date}` };
}

function checkById(timeline: Timeline, id: string): ReportCheck | undefined {
  return timelineChecks(timeline).find((check) => check.id === id);
}

describe('deliveryTimeline', () => {
  // Newest first, as relays prepend them: sender -> relay -> mx2 -> us.
  const chain: HeaderLine[] = [
    received('relay.good.test', 'mx2.good.test', 'Thu, 03 Dec 2026 10:15:40 +0000'),
    { name: 'subject', value: 'hello' },
    received('sender.good.test', 'relay.good.test', 'Thu, 3 Dec 2026 11:01:30 +0100 (CET)'),
  ];

  it('lists a 3-hop chain oldest first, ending with the hop to this server, and names the 14-minute hop', () => {
    const timeline = deliveryTimeline(chain, at('2026-12-03T10:01:00Z'), at('2026-12-03T10:15:50Z'), here);
    expect(timeline).toEqual({
      sentAt: '2026-12-03T10:01:00.000Z',
      receivedAt: '2026-12-03T10:15:50.000Z',
      hops: [
        { from: 'sender.good.test', by: 'relay.good.test', at: '2026-12-03T10:01:30.000Z', delaySeconds: 30 },
        { from: 'relay.good.test', by: 'mx2.good.test', at: '2026-12-03T10:15:40.000Z', delaySeconds: 850 },
        { from: 'mx2.good.test [192.0.2.25]', by: 'ephemail.test', at: '2026-12-03T10:15:50.000Z', delaySeconds: 10 },
      ],
      totalSeconds: 890,
      omittedHops: 0,
    });
    expect(checkById(timeline, 'slow-hop')).toEqual({
      id: 'slow-hop',
      status: 'warn',
      message: expect.stringMatching(/^The hop relay\.good\.test -> mx2\.good\.test took 14 minutes\. Mail usually crosses a hop in seconds/),
      messageCode: 'slow-hop.one',
      messageValues: { from: 'relay.good.test', by: 'mx2.good.test', seconds: 850 },
      messageNotes: [{ code: 'slow-hop.advice', values: {} }],
      penalty: 0.5,
    });
    expect(checkById(timeline, 'delivery-time')).toEqual({
      id: 'delivery-time', status: 'pass', message: 'The message arrived 15 minutes after its Date header.', penalty: 0,
      messageCode: 'delivery-time.ok', messageValues: { seconds: 890 }, messageNotes: [],
    });
  });

  it('reads the chain from the header list the parser makes of a whole message, folded lines included', async () => {
    const raw = [
      'Received: from relay.good.test (relay.good.test [192.0.2.1])',
      '\tby mx2.good.test with ESMTPS id 4Xy7',
      '\tfor <someone@ephemail.test>; Thu, 03 Dec 2026 10:15:40 +0000',
      'Received: from sender.good.test by relay.good.test; Thu, 03 Dec 2026 10:01:30 +0000',
      'Date: Thu, 03 Dec 2026 10:01:00 +0000',
      'Subject: hello',
      '',
      'body',
    ].join('\r\n');
    const message = await parseMessage(Buffer.from(raw));
    const timeline = deliveryTimeline(message.headers, message.date, at('2026-12-03T10:15:50Z'), here);
    expect(timeline.hops.map(({ from, by, delaySeconds }) => [from, by, delaySeconds])).toEqual([
      ['sender.good.test', 'relay.good.test', 30],
      ['relay.good.test', 'mx2.good.test', 850],
      ['mx2.good.test [192.0.2.25]', 'ephemail.test', 10],
    ]);
  });

  it('has one hop, the client intake saw to this server, when there is no Received header', () => {
    const timeline = deliveryTimeline([{ name: 'subject', value: 'hi' }], at('2026-12-03T10:00:00Z'), at('2026-12-03T10:00:40Z'), here);
    expect(timeline.hops).toEqual([
      { from: 'mx2.good.test [192.0.2.25]', by: 'ephemail.test', at: '2026-12-03T10:00:40.000Z', delaySeconds: 40 },
    ]);
    expect(timeline.totalSeconds).toBe(40);
    expect(timelineChecks(timeline).map(({ id, status, message, messageCode, messageValues }) => ({ id, status, message, messageCode, messageValues }))).toEqual([
      { id: 'slow-hop', status: 'pass', message: 'No hop took over 5 minutes.', messageCode: 'slow-hop.ok', messageValues: { seconds: 300 } },
      { id: 'delivery-time', status: 'pass', message: 'The message arrived 40 s after its Date header.', messageCode: 'delivery-time.ok', messageValues: { seconds: 40 } },
    ]);
  });

  it('names the last hop\'s sender by IP alone when the client gave no HELO, and leaves it unknown for mail stored without a session', () => {
    const bare = deliveryTimeline([], null, at('2026-12-03T10:00:00Z'), { session: { ...session, helo: '' }, serverName: 'ephemail.test' });
    expect(bare.hops[0]?.from).toBe('[192.0.2.25]');
    const old = deliveryTimeline([], null, at('2026-12-03T10:00:00Z'), { session: null, serverName: 'ephemail.test' });
    expect(old.hops[0]?.from).toBeNull();
  });

  it('names the last hop\'s sender as intake saw it, and by the last relay only for mail stored without a session', () => {
    const now = at('2026-12-03T10:15:50Z');
    expect(deliveryTimeline(chain, null, now, here).hops.at(-1)?.from).toBe('mx2.good.test [192.0.2.25]');
    expect(deliveryTimeline(chain, null, now, { session: null, serverName: 'ephemail.test' }).hops.at(-1)?.from).toBe('mx2.good.test');
  });

  it('measures no first delay and no total without a Date header, and says so as info', () => {
    const timeline = deliveryTimeline(chain, null, at('2026-12-03T10:15:50Z'), here);
    expect(timeline.sentAt).toBeNull();
    expect(timeline.totalSeconds).toBeNull();
    expect(timeline.hops.map((hop) => hop.delaySeconds)).toEqual([null, 850, 10]);
    expect(checkById(timeline, 'delivery-time')).toEqual({
      id: 'delivery-time', status: 'info', message: 'The message has no readable Date header, so how long it took to arrive is unknown.', penalty: 0,
      messageCode: 'delivery-time.no-date', messageValues: {}, messageNotes: [],
    });
    expect(checkById(timeline, 'slow-hop')?.status).toBe('warn');
  });

  it('gives unreadable Received dates `at: null` and no delay on either side of them', () => {
    const garbled: HeaderLine[] = [
      received('relay.good.test', 'mx2.good.test', 'Thu, 03 Dec 2026 10:15:40 +0000'),
      { name: 'received', value: 'from sender.good.test by relay.good.test; yesterday, around teatime' },
      { name: 'received', value: 'from origin.good.test by sender.good.test; 31 Feb 2026 10:00:00 +0000' },
    ];
    const timeline = deliveryTimeline(garbled, at('2026-12-03T10:01:00Z'), at('2026-12-03T10:15:50Z'), here);
    expect(timeline.hops.map(({ at: time, delaySeconds }) => [time, delaySeconds])).toEqual([
      [null, null],
      [null, null],
      ['2026-12-03T10:15:40.000Z', null],
      ['2026-12-03T10:15:50.000Z', 10],
    ]);
    expect(checkById(timeline, 'slow-hop')?.status).toBe('pass');
  });

  it('says as info that no hop could be timed when no time is readable, and gives no pass', () => {
    const timeline = deliveryTimeline([{ name: 'received', value: 'from a.test by b.test' }], null, at('2026-12-03T10:15:50Z'), here);
    expect(timeline.hops.map((hop) => hop.delaySeconds)).toEqual([null, null]);
    expect(checkById(timeline, 'slow-hop')).toEqual({
      id: 'slow-hop', status: 'info', message: 'No hop could be timed: the Received headers and the Date header carry no readable times.', penalty: 0,
      messageCode: 'slow-hop.untimed', messageValues: {}, messageNotes: [],
    });
  });

  it('shows a negative delay from clock skew as it is, and tells it as info without a penalty', () => {
    const skewed: HeaderLine[] = [
      received('relay.good.test', 'mx2.good.test', 'Thu, 03 Dec 2026 10:05:00 +0000'),
      received('sender.good.test', 'relay.good.test', 'Thu, 03 Dec 2026 10:12:00 +0000'),
    ];
    const timeline = deliveryTimeline(skewed, at('2026-12-03T10:11:30Z'), at('2026-12-03T10:12:10Z'), here);
    expect(timeline.hops.map((hop) => hop.delaySeconds)).toEqual([30, -420, 430]);
    // mx2's clock is 7 minutes behind, so the hop after it looks 7 minutes long; by relay's clock it took 10 s.
    expect(checkById(timeline, 'slow-hop')).toEqual({
      id: 'slow-hop',
      status: 'info',
      message: 'The hop relay.good.test -> mx2.good.test (7 minutes) ended before it started: a host\'s clock is off, so its delay says nothing about speed.',
      messageCode: 'slow-hop.skewed',
      messageValues: { count: 1, hops: [{ code: 'slow-hop.hop', values: { from: 'relay.good.test', by: 'mx2.good.test', seconds: 420 } }] },
      messageNotes: [],
      penalty: 0,
    });
  });

  it('does not blame the hop before a clock that runs ahead either', () => {
    const ahead: HeaderLine[] = [
      received('relay.good.test', 'mx2.good.test', 'Thu, 03 Dec 2026 10:19:00 +0000'),
      received('sender.good.test', 'relay.good.test', 'Thu, 03 Dec 2026 10:12:00 +0000'),
    ];
    const timeline = deliveryTimeline(ahead, at('2026-12-03T10:11:30Z'), at('2026-12-03T10:12:10Z'), here);
    expect(timeline.hops.map((hop) => hop.delaySeconds)).toEqual([30, 420, -410]);
    expect(checkById(timeline, 'slow-hop')?.status).toBe('info');
  });

  it('tells skew alone as info, costing nothing, and a small negative delay not at all', () => {
    const skewed = [received('sender.good.test', 'relay.good.test', 'Thu, 03 Dec 2026 10:00:00 +0000')];
    const far = deliveryTimeline(skewed, at('2026-12-03T10:09:00Z'), at('2026-12-03T10:00:10Z'), here);
    expect(far.hops.map((hop) => hop.delaySeconds)).toEqual([-540, 10]);
    expect(timelineChecks(far)).toMatchObject([
      {
        id: 'slow-hop',
        status: 'info',
        message: 'The hop sender.good.test -> relay.good.test (9 minutes) ended before it started: a host\'s clock is off, so its delay says nothing about speed.',
        messageCode: 'slow-hop.skewed',
        penalty: 0,
      },
      {
        id: 'delivery-time',
        status: 'info',
        message: 'The Date header is 9 minutes ahead of this server\'s clock: the sending host\'s clock is off (set it by NTP), and some filters distrust mail dated in the future.',
        messageCode: 'delivery-time.ahead',
        messageValues: { seconds: 530 },
        penalty: 0,
      },
    ]);
    const near = deliveryTimeline(skewed, at('2026-12-03T10:00:30Z'), at('2026-12-03T10:00:10Z'), here);
    expect(timelineChecks(near)).toMatchObject([
      { id: 'slow-hop', status: 'pass', message: 'No hop took over 5 minutes.', penalty: 0 },
      {
        id: 'delivery-time', status: 'pass', message: 'The Date header is 20 s ahead of this server\'s clock, within ordinary clock drift.', penalty: 0,
        messageCode: 'delivery-time.drift', messageValues: { seconds: 20 },
      },
    ]);
  });

  it('warns about a total over 15 minutes in human units, and names at most three slow hops', () => {
    const hops = ['a', 'b', 'c', 'd', 'e'].map((host, index) =>
      received(`${host}.good.test`, `${host}2.good.test`, new Date(at('2026-12-03T10:00:00Z') + (index + 1) * 26 * 60_000).toUTCString()),
    ).reverse();
    const timeline = deliveryTimeline(hops, at('2026-12-03T10:00:00Z'), at('2026-12-03T12:10:10Z'), here);
    expect(checkById(timeline, 'delivery-time')).toEqual({
      id: 'delivery-time',
      status: 'warn',
      message: 'The message arrived 2 h 10 min after its Date header; the timeline shows where it waited.',
      messageCode: 'delivery-time.slow',
      messageValues: { seconds: 7810 },
      messageNotes: [],
      penalty: 0.25,
    });
    const slowHop = checkById(timeline, 'slow-hop');
    expect(slowHop?.message).toMatch(
      /^5 hops took over 5 minutes: a\.good\.test -> a2\.good\.test \(26 minutes\), b\.good\.test -> b2\.good\.test \(26 minutes\), c\.good\.test -> c2\.good\.test \(26 minutes\) and 2 more\. /,
    );
    // Three hops named, then how many more: the page says the list in its own words.
    const hop = (name: string) => ({ code: 'slow-hop.hop', values: { from: `${name}.good.test`, by: `${name}2.good.test`, seconds: 1560 } });
    expect(slowHop).toMatchObject({
      messageCode: 'slow-hop.many',
      messageValues: { count: 5, seconds: 300, hops: [hop('a'), hop('b'), hop('c'), { code: 'list.more', values: { count: 2 } }] },
    });
  });
});

describe('deliveryTimeline on hostile input', () => {
  it('reads only the newest 50 of 5,000 Received headers, and says so', () => {
    const flood = Array.from({ length: 5000 }, (_, index) =>
      received(`hop${5000 - index}.evil.test`, `hop${5001 - index}.evil.test`, 'Thu, 03 Dec 2026 10:00:00 +0000'),
    );
    const timeline = deliveryTimeline(flood, at('2026-12-03T09:00:00Z'), at('2026-12-03T10:00:00Z'), here);
    expect(timeline.hops).toHaveLength(RECEIVED_LIMIT + 1);
    expect(timeline.omittedHops).toBe(5000 - RECEIVED_LIMIT);
    // The newest 50 are kept: hop4951 -> hop4952 is the oldest read, and its start is unknown.
    expect(timeline.hops[0]).toEqual({ from: 'hop4951.evil.test', by: 'hop4952.evil.test', at: '2026-12-03T10:00:00.000Z', delaySeconds: null });
    expect(timeline.hops.at(-2)?.by).toBe('hop5001.evil.test');
    expect(checkById(timeline, 'slow-hop')).toEqual({
      id: 'slow-hop',
      status: 'info',
      message: 'Only the newest 50 of 5000 Received headers were read; a chain that long means a mail loop or forged headers.',
      messageCode: 'slow-hop.truncated',
      messageValues: { limit: RECEIVED_LIMIT, count: 5000 },
      messageNotes: [],
      penalty: 0,
    });
  });

  it('cuts host names to 255 characters and finds the date of a 200 KB Received header', () => {
    const huge = `from ${'a'.repeat(100_000)} by ${'b'.repeat(100_000)}.test; Thu, 03 Dec 2026 10:00:00 +0000`;
    expect(huge.length).toBeGreaterThan(200_000);
    const timeline = deliveryTimeline([{ name: 'received', value: huge }], null, at('2026-12-03T10:00:05Z'), here);
    const [first, last] = timeline.hops;
    expect(first?.from).toBe('a'.repeat(255));
    // The `by` clause starts past the 4 KiB read for hosts, so it is not found.
    expect(first?.by).toBeNull();
    expect(first?.at).toBe('2026-12-03T10:00:00.000Z');
    expect(last).toEqual({ from: 'mx2.good.test [192.0.2.25]', by: 'ephemail.test', at: '2026-12-03T10:00:05.000Z', delaySeconds: 5 });
    const sentences = timelineChecks(timeline).map((check) => check.message);
    expect(Math.max(...sentences.map((sentence) => sentence.length))).toBeLessThan(2000);
  });

  it('names a host a Received header leaves out by a phrase, which a page says in its own words', () => {
    const timeline = deliveryTimeline([{ name: 'received', value: 'by mx2.good.test; Thu, 03 Dec 2026 10:15:40 +0000' }], at('2026-12-03T10:00:00Z'), at('2026-12-03T10:15:50Z'), here);
    expect(checkById(timeline, 'slow-hop')).toMatchObject({
      message: expect.stringMatching(/^The hop an unnamed host -> mx2\.good\.test took 16 minutes\./),
      messageCode: 'slow-hop.one',
      messageValues: { from: { code: 'timeline.unnamed-host', values: {} }, by: 'mx2.good.test', seconds: 940 },
    });
  });

  it('bounds the message of a check naming slow hops with huge names', () => {
    const long = 'x'.repeat(300);
    const slow = Array.from({ length: 40 }, (_, index) =>
      received(long, long, new Date(at('2026-12-03T10:00:00Z') + index * 10 * 60_000).toUTCString()),
    ).reverse();
    const timeline = deliveryTimeline(slow, at('2026-12-03T08:00:00Z'), at('2026-12-03T17:00:00Z'), here);
    const message = checkById(timeline, 'slow-hop')?.message ?? '';
    expect(message).toMatch(/^\d+ hops took over 5 minutes: .* and \d+ more\./);
    expect(message.length).toBeLessThan(3 * (2 * 255 + 30) + 400);
  });

  it('never throws on a Date outside what ISO time can write', () => {
    const timeline = deliveryTimeline([], 1e20, at('2026-12-03T10:00:00Z'), here);
    expect(timeline.sentAt).toBeNull();
    expect(timeline.totalSeconds).toBeNull();
  });
});
