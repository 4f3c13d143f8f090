import { describe, expect, it } from 'vitest';
import { parseReceived, parseRfc5322Date } from '../../src/report/received-header.js';

const at = (iso: string): number => Date.parse(iso);

describe('parseReceived', () => {
  it.each([
    [
      'Postfix',
      'from relay.good.test (relay.good.test [192.0.2.1]) by mx2.good.test (Postfix) with ESMTPS id 4Xy7 for <a@ephemail.test>; Thu, 3 Dec 2026 10:15:40 +0000 (UTC)',
      { from: 'relay.good.test', by: 'mx2.good.test', at: at('2026-12-03T10:15:40Z') },
    ],
    [
      'Exim, with a ";" inside a comment',
      'from [192.0.2.1] (helo=relay.good.test; tls) by mx.good.test with esmtpsa (TLS1.3) (Exim 4.96) (envelope-from <a@good.test>) id 1rX for b@ephemail.test; Thu, 03 Dec 2026 10:15:40 -0500',
      { from: '[192.0.2.1]', by: 'mx.good.test', at: at('2026-12-03T15:15:40Z') },
    ],
    [
      'Gmail\'s internal hop, without `from`',
      'by 2002:a05:6a10:a80b:b0:5b1:1d4e with SMTP id s11csp1234; Thu, 3 Dec 2026 02:15:40 -0800 (PST)',
      { from: null, by: '2002:a05:6a10:a80b:b0:5b1:1d4e', at: at('2026-12-03T10:15:40Z') },
    ],
    [
      'nested comments and upper-case keywords',
      'FROM relay.good.test (a (nested (deeply) comment) by fake.test) BY mx2.good.test; 3 Dec 2026 10:15 GMT',
      { from: 'relay.good.test', by: 'mx2.good.test', at: at('2026-12-03T10:15:00Z') },
    ],
    ['no ";" and so no date', 'from relay.good.test by mx2.good.test with SMTP', { from: 'relay.good.test', by: 'mx2.good.test', at: null }],
    ['a keyword with nothing after it', 'from relay.good.test by', { from: 'relay.good.test', by: null, at: null }],
    ['nothing readable', ')))(((;;;', { from: null, by: null, at: null }],
  ])('reads %s', (_name, value, expected) => {
    expect(parseReceived(value)).toEqual(expected);
  });
});

describe('parseRfc5322Date', () => {
  it.each([
    ['Thu, 03 Dec 2026 10:15:40 +0000', '2026-12-03T10:15:40Z'],
    ['3 December 2026 10:15:40 +0130', '2026-12-03T08:45:40Z'],
    ['Thu, 3 Dec 26 10:15:40 EST', '2026-12-03T15:15:40Z'],
    ['3 Dec 99 10:15:40 UT', '1999-12-03T10:15:40Z'],
    ['3 Dec 2026 10:15 -0000', '2026-12-03T10:15:00Z'],
    ['31 Dec 2026 23:59:60 +0000', '2026-12-31T23:59:59Z'],
    ['3 Dec 2026 10:15:40.123+0000', '2026-12-03T10:15:40Z'],
  ])('reads "%s"', (text, iso) => {
    expect(parseRfc5322Date(text)).toBe(at(iso));
  });

  it.each([
    '1',
    'yesterday, around teatime',
    '31 Feb 2026 10:00:00 +0000',
    '3 Dec 2026 25:00:00 +0000',
    '3 Dec 2026 10:61:00 +0000',
    '3 Dec 2026 10:00:00 +0075',
    '3 Dec 2026 10:00:00',
    '3 Dec 2026 10:00:00 XYZ',
    '3 Foo 2026 10:00:00 +0000',
  ])('gives null for "%s"', (text) => {
    expect(parseRfc5322Date(text)).toBeNull();
  });
});
