/**
 * Text derived from nested HTML: converted as mailparser converts it while
 * the work stays bounded, refused with a sentence when the nesting would
 * make it cost more, by the full parse and the same by the lean digest.
 */
import { describe, expect, it } from 'vitest';
import { htmlAsText } from '../../src/mail/parse/html-as-text.js';
import { parseMessage } from '../../src/mail/parse/parse.js';
import { digestMessage } from '../../src/mail/read/digest.js';
import { leanDigest } from '../../src/mail/read/lean-digest.js';

const TOO_MUCH_WORK = 'The HTML nests quotes, lists, links or headings so deeply that turning it into plain text would take too long, so it has none (the raw message has all of it).';
const NESTINGS = {
  quotes: ['<blockquote>', '</blockquote>'],
  lists: ['<ol><li>', '</li></ol>'],
  links: ['<a href="https://example.com/">', '</a>'],
  headings: ['<h1>', '</h1>'],
} as const;

function nested(kind: keyof typeof NESTINGS, levels: number, inner: string): string {
  const [open, close] = NESTINGS[kind];
  return `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
}

function htmlMail(html: string): Buffer {
  return Buffer.from(['From: a@example.com', 'Subject: nested', 'Content-Type: text/html; charset=utf-8', '', html].join('\r\n'));
}

describe('text from nested HTML', () => {
  it('converts quotes nested as replies nest them, as mailparser does', () => {
    expect(htmlAsText(nested('quotes', 3, '<p>Your code is 482913</p>'))).toEqual({ text: '> > > Your code is 482913', refusal: null });
  });

  it('refuses 16 KiB of quotes, lists, links or headings nested 600 deep with a sentence, the same in both paths', async () => {
    for (const kind of Object.keys(NESTINGS) as (keyof typeof NESTINGS)[]) {
      const raw = htmlMail(nested(kind, 600, '<p>Your code is 482913</p>').slice(0, 16 * 1024));
      const parsed = await parseMessage(raw);
      expect(parsed, kind).toMatchObject({ text: '', problems: [TOO_MUCH_WORK], failed: false });
      expect(await leanDigest(raw), kind).toStrictEqual(digestMessage(parsed));
    }
  });

  it('weighs each character by the nesting around it, so deep nesting in a short stretch still converts', () => {
    const flat = '<p>Filler paragraph</p>'.repeat(8000);
    const { text, refusal } = htmlAsText(`${flat}${nested('quotes', 40, 'Your code is 482913')}`);
    expect(refusal).toBeNull();
    expect(text).toContain(`${'> '.repeat(40)}Your code is 482913`);
  });

  it('converts 100 KiB within 8 quotes, and refuses 200 KiB', () => {
    const within = (characters: number) => nested('quotes', 8, '<p>Filler paragraph</p>'.repeat(Math.ceil(characters / 23)));
    expect(htmlAsText(within(100 * 1024)).refusal).toBeNull();
    expect(htmlAsText(within(200 * 1024))).toEqual({ text: '', refusal: TOO_MUCH_WORK });
  });

  it('refuses HTML nested deeper than 1000 levels, as mailparser did', async () => {
    const raw = htmlMail(`${'<div>'.repeat(1001)}Your code is 482913`);
    const parsed = await parseMessage(raw);
    expect(parsed.text).toBe('');
    expect(parsed.problems).toEqual(['The HTML is nested deeper than 1000 levels, too deep to be turned into plain text (the raw message has all of it).']);
    expect(await leanDigest(raw)).toStrictEqual(digestMessage(parsed));
    expect(htmlAsText(`${'<div>'.repeat(1000)}Your code is 482913`)).toMatchObject({ text: 'Your code is 482913', refusal: null });
  });
});
