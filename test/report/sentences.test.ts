import { describe, expect, it } from 'vitest';
import { finding } from '../../src/report/penalties.js';
import * as auth from '../../src/report/sentences/auth-sentences.js';
import * as checks from '../../src/report/sentences/check-sentences.js';
import * as html from '../../src/report/sentences/html-sentences.js';
import { SLOTS } from '../../src/report/sentences/sentence.js';
import { english, listOf, SENTENCE_CODES, SENTENCE_SLOTS, sentence } from '../../src/report/sentences/sentences.js';
import * as timeline from '../../src/report/sentences/timeline-sentences.js';

describe('report sentences', () => {
  it('have one code each, across every table, in the form check-or-concept.outcome', () => {
    const tables = [auth, checks, html, timeline].flatMap((module) => Object.values(module));
    const keys = tables.flatMap((table) => Object.keys(table));
    expect(new Set(keys).size).toBe(keys.length);
    // Every table's codes, and the one code of the joined table's own (list.more).
    expect(SENTENCE_CODES).toHaveLength(keys.length + 1);
    for (const code of SENTENCE_CODES) expect(code).toMatch(/^[a-z]+(?:-[a-z0-9]+)*\.[a-z]+(?:-[a-z0-9]+)*$/);
  });

  it('name only slots the slot table knows, each once', () => {
    for (const [code, slots] of Object.entries(SENTENCE_SLOTS)) {
      expect(slots.every((slot) => slot in SLOTS), code).toBe(true);
      expect(new Set(slots).size, code).toBe(slots.length);
    }
  });

  it('say a list cut short with how many more, and phrases inside it in English', () => {
    const files = listOf(['"a.exe"', sentence('risky-attachment.disguised', { name: '"b.pdf.exe"', disguise: 'pdf' }), '"c.exe"', '"d.exe"', '"e.exe"'], 3);
    expect(files.at(-1)).toEqual({ code: 'list.more', values: { count: 2 } });
    expect(english(sentence('risky-attachment.found', { files }))).toBe('Providers block or strip executable, script, disk-image and macro-enabled attachments, '
      + 'and this message has "a.exe", "b.pdf.exe" (posing as a .pdf), "c.exe" and 2 more; share such files through a link instead.');
    expect(listOf(['"a"', '"b"'], 3)).toEqual(['"a"', '"b"']);
  });

  it('make a finding\'s message of its sentence and notes, with the code and values beside', () => {
    const note = sentence('html.partly-read', { elements: 10_000, kilobytes: 256 });
    expect(finding('image-alt', 'warn', sentence('image-alt.missing', { count: 1, src: '"a.png"' }), [note])).toEqual({
      id: 'image-alt', status: 'warn', penalty: 0.25,
      message: '1 image has no alt attribute (the first: "a.png"); add alt text that says what each shows, or alt="" for decoration, '
        + 'since blocked images and screen readers show only that. (Only the first 10,000 elements and 256 KiB of the HTML were read.)',
      messageCode: 'image-alt.missing',
      messageValues: { count: 1, src: '"a.png"' },
      messageNotes: [{ code: 'html.partly-read', values: { elements: 10_000, kilobytes: 256 } }],
    });
  });
});
