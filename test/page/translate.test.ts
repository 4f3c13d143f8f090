import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../../public/js/i18n/languages.js';
import { createTranslator } from '../../public/js/i18n/messages.js';

describe('pickLanguage', () => {
  it('keeps the visitor\'s own choice over the browser\'s languages', () => {
    expect(pickLanguage(['de-DE', 'en'], 'uk')).toBe('uk');
  });

  it('takes the first browser language the page has, by its primary subtag', () => {
    expect(pickLanguage(['ja-JP', 'pt-BR', 'en'], null)).toBe('pt');
    expect(pickLanguage(['GL-es'], null)).toBe('gl');
  });

  it('falls back to English for an unknown choice and unknown languages', () => {
    expect(pickLanguage(['ja', 'zh-Hant'], 'xx')).toBe('en');
    expect(pickLanguage([], null)).toBe('en');
  });
});

describe('createTranslator', () => {
  const t = createTranslator('ru', {
    greeting: 'Привет, {name}',
    letters: { one: '{count} письмо', few: '{count} письма', many: '{count} писем', other: '{count} письма' },
  }, { greeting: 'Hello, {name}', onlyEnglish: 'Only in English' });

  it('fills slots and leaves an unknown slot as written', () => {
    expect(t('greeting', { name: 'Аня' })).toBe('Привет, Аня');
    expect(t('greeting')).toBe('Привет, {name}');
  });

  it('chooses the plural form of the language and writes the number its way', () => {
    expect(t('letters', { count: 1 })).toBe('1 письмо');
    expect(t('letters', { count: 3 })).toBe('3 письма');
    expect(t('letters', { count: 5 })).toBe('5 писем');
    expect(t('letters', { count: 21 })).toBe('21 письмо');
    expect(t('letters', { count: 12_345 })).toBe('12\u00a0345 писем');
  });

  it('falls back to the fallback language, then to the key itself', () => {
    expect(t('onlyEnglish')).toBe('Only in English');
    expect(t('nowhere')).toBe('nowhere');
  });
});
