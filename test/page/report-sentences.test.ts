import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../public/js/i18n/messages.js';
import { sentenceWriter } from '../../public/js/message/report-sentences.js';
import { riskyAttachment } from '../../src/report/checks/attachments.js';
import { listOf, SENTENCE_CODES, SENTENCE_SLOTS, sentence } from '../../src/report/sentences/sentences.js';
import { readDictionary as dictionary, slotsOf } from '../support/locales.js';

/**
 * The report's sentences as the page says them: the server's code table and
 * the translation files cannot drift apart, and the page's writer says each
 * value the way its slot name means.
 */

const english = dictionary('en');
const PREFIX = 'reportSentence.';

// Sizes and durations in marked words, to see which values went through which.
const writerIn = (code: string) => sentenceWriter({
  t: createTranslator(code, dictionary(code), english),
  fileSize: (bytes) => `[${bytes} bytes]`,
  elapsed: (seconds) => `[${seconds} s]`,
  list: (items) => items.join(' + '),
});

describe('the sentences in the translation files', () => {
  it('have a key for every code the server can send, with exactly the slots its values fill', () => {
    for (const code of SENTENCE_CODES) {
      const entry = english[PREFIX + code];
      expect(entry, code).toBeDefined();
      expect([...slotsOf(entry ?? '')].sort(), code).toEqual([...SENTENCE_SLOTS[code]].sort());
    }
  });

  it('have no key for a code the server no longer sends', () => {
    const codes = new Set<string>(SENTENCE_CODES);
    expect(Object.keys(english).filter((key) => key.startsWith(PREFIX) && !codes.has(key.slice(PREFIX.length)))).toEqual([]);
  });
});

describe('sentenceWriter', () => {
  it('says a size by fileSize, a duration by elapsed, and other numbers as numbers that pick the plural', () => {
    const write = writerIn('ru');
    expect(write([sentence('total-size.ok', { bytes: 5000 })])).toBe('Письмо занимает [5000 bytes], меньше 10 МБ, которые не принимают некоторые почтовые сервисы.');
    expect(write([sentence('delivery-time.ok', { seconds: 40 })])).toBe('Письмо пришло через [40 s] после времени в заголовке Date.');
    expect(write([sentence('arc.pass', { count: 5 })])).toMatch(/^Цепочка ARC из 5 печатей верна/);
    expect(write([sentence('arc.pass', { count: 21 })])).toMatch(/^Цепочка ARC из 21 печати верна/);
  });

  it('says phrases by their own keys and lists the language\'s way, a list cut short with how many more', () => {
    const check = riskyAttachment([
      { filename: 'invoice.pdf.exe', contentType: 'application/octet-stream', size: 2, contentId: null, inline: false, content: Buffer.from('MZ') },
      ...['a.exe', 'b.exe', 'c.exe'].map((filename) => ({ filename, contentType: 'application/octet-stream', size: 2, contentId: null, inline: false, content: Buffer.from('MZ') })),
    ]);
    expect(writerIn('ru')([{ code: check.messageCode, values: check.messageValues }])).toBe(
      'Почтовые сервисы блокируют или вырезают вложения-программы, скрипты, образы дисков и документы Office с макросами, '
      + 'а в этом письме есть: "invoice.pdf.exe" (выдаёт себя за .pdf) + "a.exe" + "b.exe" + ещё 1; делитесь такими файлами по ссылке.',
    );
  });

  it('says a check\'s notes after its sentence, a nested sentence inside its note', () => {
    const broken = sentence('dkim.body-changed', { domain: sentence('dkim.unnamed-domain') });
    const said = writerIn('de')([sentence('dkim.pass', { domain: 'shop.test' }), sentence('dkim.other-broken', { explanation: broken })]);
    expect(said).toBe('Die Signatur der Domain shop.test ist gültig: nichts, was sie abdeckt, wurde seit der Signatur geändert. '
      + 'Eine andere Signatur ist ungültig und wird ignoriert: Der Inhalt wurde geändert, nachdem die Domain ohne Namen signiert hatte '
      + '(sein Hash passt nicht zur Signatur); signieren Sie als letzten Schritt und stellen Sie sicher, dass danach kein Relay Fußzeilen, Tracking oder Zeilenumbrüche hinzufügt.');
  });

  it('gives null for a code it has no words for, anywhere in the sentences, so the page shows the server\'s English', () => {
    const write = writerIn('ru');
    const later = { code: 'a-check.added-later', values: {} } as unknown as ReturnType<typeof sentence>;
    expect(write([later])).toBeNull();
    expect(write([sentence('message-id.ok'), later])).toBeNull();
    expect(write([sentence('url-shortener.found', { count: 1, shorteners: listOf([later], 3) })])).toBeNull();
  });
});
