import { describe, expect, it } from 'vitest';
import { findCodes } from '../../src/mail/extract/codes.js';
import { htmlToText } from '../../src/mail/parse/html-text.js';
import { expectLinear } from '../support/scaling.js';
import { isWrittenIn, measure, readCorpus } from './codes-corpus.js';

// The corpus the rules were tuned on; codes-held-out.test.ts measures them on mail they never saw.
const corpus = readCorpus('corpus.json');

// Measured once, so the numbers can appear in the test names.
const report = measure(corpus);

describe('findCodes on the corpus', () => {
  it('has enough realistic messages in every language', () => {
    expect(report.withCode.length).toBeGreaterThanOrEqual(30);
    expect(report.withoutCode.length).toBeGreaterThanOrEqual(15);
    expect(report.links.length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map((entry) => entry.language))).toEqual(new Set(['en', 'ru', 'de', 'nl', 'es', 'fr', 'zh', 'ja', 'ko']));
  });

  it('expects only codes that are written in the message', () => {
    const unwritten = corpus.flatMap((entry) => entry.expected.filter((code) => !isWrittenIn(entry, code)).map((code) => `${entry.name}: ${code}`));
    expect(unwritten).toEqual([]);
  });

  it(`finds the right code first in at least 95% of code messages (measured: ${report.summary})`, () => {
    console.info(`codes corpus: ${report.summary}`);
    expect(report.accuracy, JSON.stringify(report.misses)).toBeGreaterThanOrEqual(0.95);
  });

  it(`reports nothing for messages without a code (measured: ${report.falsePositives.length}/${report.withoutCode.length} false positives)`, () => {
    expect(report.falsePositives).toEqual([]);
  });

  it(`marks the right action link, or none, wherever an entry names it (measured: ${report.links.length - report.linkMisses.length}/${report.links.length})`, () => {
    expect(report.linkMisses).toEqual([]);
  });
});

function codesIn(text: string, subject = 'Hello', html?: string): string[] {
  return findCodes({ subject, text, html });
}

describe('findCodes: how services write codes', () => {
  it.each([
    ['Your code is 483920', '483920'],
    ['Your verification code is 482-193. It expires in 10 minutes.', '482-193'],
    ['Код подтверждения: 5812', '5812'],
    ['Ihr Bestätigungscode lautet 7F3K9Q', '7F3K9Q'],
    ['Je verificatiecode is 582013', '582013'],
    ['Tu código de verificación es 582013.', '582013'],
    ['Votre code de vérification est : 582013', '582013'],
    ['G-582013 is your verification code', 'G-582013'],
    ['Your Slack confirmation code: ABC-123', 'ABC-123'],
    ['Steam Guard code: 4F7KD', '4F7KD'],
    ['Your login code: 12345678', '12345678'],
    ['Your sign-in code is 748 291', '748 291'],
    ['Code:483920', '483920'],
  ])('%s', (text, code) => {
    expect(codesIn(text)).toEqual([code]);
  });

  it.each([
    ['確認コードは 864209 です', '864209'],
    ['您的验证码是：774512', '774512'],
    ['認証コード：556123', '556123'],
    ['인증 코드: 123456', '123456'],
    ['您好，您的邮箱验证码为305519，30分钟内有效。', '305519'],
    ['[하늘페이] 인증번호는 804317입니다.', '804317'],
    ['ワンタイムパスワード：８６４２０９', '864209'],
    ['Your code: ８６４２０９', '864209'],
  ])('in Chinese, Japanese and Korean mail: %s', (text, code) => {
    expect(codesIn(text)).toEqual([code]);
  });

  it.each([
    ['Your sign-in code: 66 18 42', '661842'],
    ['Your verification code is 8 3 1 5 7 2. Enter it without the spaces.', '831572'],
    ['Код для входа: 72 15 08', '721508'],
    ['登录验证码：6 2 9 4 1 7', '629417'],
    ['Enter this code:\n\n53 09 71 28\n\nThanks', '53097128'],
  ])('joins a code spaced for reading: %s', (text, code) => {
    expect(codesIn(text)).toEqual([code]);
  });

  it('reads a code from the subject line', () => {
    expect(codesIn('Do not share it with anyone.', 'G-582013 is your Google verification code')).toEqual(['G-582013']);
  });

  it('takes a code alone on its line in a short message', () => {
    expect(codesIn('Hello,\n\n483920\n\nThanks')).toEqual(['483920']);
    expect(codesIn('**483920**')).toEqual(['483920']);
  });

  it('does not take a bare number alone on its line in a long message without a keyword', () => {
    const filler = 'We are glad you are here and hope you enjoy the new features we shipped this spring.\n'.repeat(6);
    expect(codesIn(`${filler}\n483920\n\n${filler}`)).toEqual([]);
  });

  it('takes a code from a big styled HTML cell labelled by the cell above', () => {
    const html =
      '<table><tr><td style="font-size:14px">Your verification code</td></tr>' +
      '<tr><td style="font-size:36px;letter-spacing:8px;font-weight:bold">305718</td></tr></table>';
    expect(codesIn('', 'Confirm your email', html)).toEqual(['305718']);
  });

  it('takes a code from the cell next to its label', () => {
    const html = '<table><tr><td>Security code</td><td><b>58&#50;913</b></td></tr></table>';
    expect(codesIn('', 'Hello', html)).toEqual(['582913']);
  });

  it('lists the most likely code first, each code once, at most five', () => {
    const text = 'Order number: 482913. Your verification code is 5812.';
    expect(codesIn(text)).toEqual(['5812']);
    expect(findCodes({ subject: '482-193 is your code', text: 'Your code: 482193', html: '<p>Your code: 482193</p>' })).toEqual(['482193']);
    const many = Array.from({ length: 8 }, (_, index) => `Code ${index + 1}: ${738200 + index}`).join('\n');
    expect(codesIn(many)).toHaveLength(5);
  });

  it('ignores ordinary words, lower-case and digit-free tokens', () => {
    expect(codesIn('Your code is ABCDEF')).toEqual([]);
    expect(codesIn('Your code is a7b3c9')).toEqual([]);
    expect(codesIn('Your code is 123')).toEqual([]);
    expect(codesIn('Your code is 123456789')).toEqual([]);
  });
});

describe('findCodes: numbers that are not codes', () => {
  it.each([
    ['a year', 'Verification codes were introduced in 2024.'],
    ['copyright', 'Your code is below.\n\n© 2024 Acme Inc.'],
    ['dates', 'Your code was sent on 12.05.2024, 2024-05-12 and 12/05/2024.'],
    ['a compact date', 'Code generated 20240512'],
    ['times', 'Your code expires at 14:30 or 2:30pm.'],
    ['a price with a currency word', 'Security code for the payment: 1299 EUR'],
    ['a price with a currency sign', 'Your code is valid for purchases up to $1500 or €4599.'],
    ['a phone number', 'Lost your code? Call +1 555 123 4567 or (555) 123-4567 or 030 12345678.'],
    ['a postal code in an address', 'Your verification code is below.\nAcme GmbH, Hauptstraße 12, 10115 Berlin'],
    ['a ZIP code', 'A verification code was requested from San Francisco, CA 94105.'],
    ['a Dutch postcode', 'Verificatiecode aangevraagd vanaf Damrak 1, 1012 LG Amsterdam'],
    ['an order number', 'Your code for Order #123456'],
    ['a German order number', 'Bestellnummer 4711 – Code folgt separat.'],
    ['an order number labelled after', 'Thanks! 4711 is your order number, not a code.'],
    ['a tracking number', 'Tracking code 1Z999AA10123456784, Sendungsnummer 48291734'],
    ['a percentage', 'Use code 2050% faster'],
    ['a version', 'Security code version 2.14.0, build 4821'],
    ['a promo code', 'Use promo code SAVE20 or Gutscheincode WINTER2024, kortingscode 4K7XPQ'],
    ['a booking reference', 'Booking reference: K7X9PQ'],
    ['a card authorization code', 'Card ending 4821\nAuthorization code: 083921\nTotal: $45.00'],
    ['a card number', 'Your code was sent for card **** 4821 and IBAN DE12 7015 0000 0123 4567 89'],
    ['an id inside a URL', 'Verify with your code at https://example.com/verify?code=483920'],
    ['a meeting dial-in PIN group', 'Join by phone PIN: 482 193 847#'],
    ['spaced phone numbers', 'Lost your code? Call 0 8 0 0 5 5 5 0 1 9 9, 8 800 555 35 35 or 020 7946 0958.'],
    ['a date and time in groups', 'Your code was sent on 21 01 2025 at 09 30.'],
    ['an amount in groups', 'Your code unlocks prizes worth 1 250 000 this year.'],
    ['a Swedish postcode', 'Verification code requested from Storgatan 1, 111 22 Stockholm'],
    ['a reference in pairs', 'Your code is below. Payment reference: 40 11 82 93'],
    ['three digits alone', 'Code: 1 2 3'],
    ['a run too long for a code', 'Your code: 1 2 3 4 5 6 7 8 9'],
    ['a Chinese order number and price', '验证码已发送。订单号：202503158842，金额 ¥1299'],
    ['a Japanese price', '確認コードの発行は 3000円 です'],
    ['a Japanese postcode', '認証コードの送付先：〒1500002 東京都渋谷区'],
    ['a Korean order number', '인증 완료. 주문번호 20250109 결제 금액 48900원'],
  ])('%s', (_kind, text) => {
    expect(codesIn(text)).toEqual([]);
  });

  it('keeps the code when the same message has prices and order numbers', () => {
    expect(codesIn('Order #55555 of 1299 EUR: your security code is 4829, valid until 14:30.')).toEqual(['4829']);
  });
});

describe('findCodes reads the start of a message', () => {
  const filler = 'We are glad you are here and hope you enjoy the new features we shipped this spring.\n';

  it('finds a code a few KB into a long text', () => {
    const text = `${filler.repeat(40)}Your verification code is 583920.\n${filler.repeat(12_000)}`;
    expect(text.indexOf('583920')).toBeGreaterThan(3_000);
    expect(codesIn(text)).toEqual(['583920']);
  });

  it('finds a code a few KB into long HTML, and in HTML when the text has none', () => {
    const paragraphs = (count: number) => `<p style="color:#333">${filler}</p>`.repeat(count);
    const html = `<html><body>${paragraphs(40)}<p>Your verification code is <b>583920</b></p>${paragraphs(3_000)}</body></html>`;
    expect(codesIn('', 'Hello', html)).toEqual(['583920']);
    expect(codesIn('Open this message in a browser to read it.', 'Hello', '<p>Your code is <b>483920</b></p>')).toEqual(['483920']);
  });

  it('reads HTML only as far as needed, with the same start as reading it all', () => {
    const html = `<table>${'<tr><td>  Cell &amp; text </td>\n<td>\u200b</td></tr>'.repeat(2_000)}</table>`;
    const whole = htmlToText(html);
    expect(whole.length).toBeGreaterThan(20_000);
    for (const limit of [1, 100, 8_192]) expect(htmlToText(html, limit).slice(0, limit)).toBe(whole.slice(0, limit));
  });
});

describe('findCodes on hostile input', () => {
  const everywhere = (text: string) => ({ subject: text, text, html: `<td>${text}</td>`.repeat(2) });

  // Up to the megabytes given, in time growing like the input (test/support/scaling.ts).
  it.each([
    ['digits and keywords', (n: number) => everywhere('123456 code '.repeat(n)), 62_500],
    ['one huge line of letters', (n: number) => everywhere('a'.repeat(n)), 625_000],
    ['separators', (n: number) => everywhere('1.'.repeat(n)), 312_500],
    ['blanks between keyword words', (n: number) => everywhere(`one${' '.repeat(n)}time`), 625_000],
    ['blank lines', (n: number) => everywhere('\n'.repeat(n)), 625_000],
    ['deeply nested HTML', (n: number) => ({ subject: '', text: '', html: `${'<div>'.repeat(n)}Your code is 483920` }), 125_000],
    ['digits and spaces', (n: number) => everywhere('8 3 1 5 7 2 '.repeat(n)), 62_500],
    ['Chinese and full-width digits', (n: number) => everywhere('验证码８６４２０９'.repeat(n)), 62_500],
  ])('stays linear on megabytes of %s', (_kind, build, size) => {
    expectLinear(build, findCodes, size);
  });

  it('reads 100 KB of digits and spaces as one run too long for a code, and still finds the labelled code before it', () => {
    const noise = '4 7 1 9 0 3 '.repeat(8_534);
    expect(noise.length).toBeGreaterThan(100_000);
    expect(codesIn(noise, 'Your code')).toEqual([]);
    expect(codesIn(`Your code: 66 18 42\n${noise}`, 'Your code')).toEqual(['661842']);
  });
});
