/**
 * The languages the page speaks and how it picks one: the visitor's own
 * choice if they made one, else the first of the browser's languages that
 * the page has, else English. Pure logic, so it is tested without a browser.
 */

/** Each language by its code (the file public/locales/<code>.json) and its own name for itself. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'es', name: 'Español' },
  { code: 'fr', name: 'Français' },
  { code: 'gl', name: 'Galego' },
  { code: 'pt', name: 'Português' },
  { code: 'ru', name: 'Русский' },
  { code: 'uk', name: 'Українська' },
];

/** Strings missing from a translation are taken from this one. */
export const FALLBACK_LANGUAGE = 'en';

/**
 * The page's language for these preferences.
 * @param {readonly string[]} browserLanguages `navigator.languages`, most wanted first ("pt-BR", "uk")
 * @param {string | null} chosen the visitor's pick from the switcher, if any
 * @returns {string} a code of LANGUAGES
 */
export function pickLanguage(browserLanguages, chosen) {
  const supported = new Set(LANGUAGES.map((language) => language.code));
  if (chosen !== null && supported.has(chosen)) return chosen;
  for (const tag of browserLanguages) {
    // "pt-BR" and "pt" are both served by pt: the page has one file per language, not per region.
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (supported.has(primary)) return primary;
  }
  return FALLBACK_LANGUAGE;
}
