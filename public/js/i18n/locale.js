/**
 * The page's language, loaded once before anything is shown: every module
 * that imports `t` waits for this one (top-level await), so no part of the
 * page ever renders before its words are here. Changing the language saves
 * the choice and reloads, which keeps the URL and so the inbox.
 */
import { loadLanguageChoice } from '../storage.js';
import { FALLBACK_LANGUAGE, pickLanguage } from './languages.js';
import { createTranslator } from './messages.js';

/** @typedef {import('./messages.js').Dictionary} Dictionary */

/** The code of the language the page speaks now. */
export const language = pickLanguage(navigator.languages, loadLanguageChoice());

/**
 * @param {string} code
 * @returns {Promise<Dictionary>} the language's strings, or none when the file cannot be had (the fallback then speaks)
 */
async function fetchDictionary(code) {
  try {
    const response = await fetch(`/locales/${code}.json`);
    return response.ok ? /** @type {Dictionary} */ (await response.json()) : {};
  } catch {
    return {};
  }
}

const [dictionary, fallback] = await Promise.all([
  fetchDictionary(language),
  language === FALLBACK_LANGUAGE ? Promise.resolve({}) : fetchDictionary(FALLBACK_LANGUAGE),
]);

/** The text of a key in the page's language, with `{slots}` filled; `count` picks the plural form. */
export const t = createTranslator(language, dictionary, language === FALLBACK_LANGUAGE ? dictionary : fallback);

/**
 * Puts the words into index.html's fixed elements: a `data-i18n` attribute
 * names the key of the element's text, and `data-i18n-attr` lists
 * attribute=key pairs, separated by semicolons.
 * @param {ParentNode} root
 */
export function translateStatic(root) {
  // A key with no words (both files failed to load) leaves index.html's own English in place.
  const known = (/** @type {string} */ key) => t(key) !== key;
  for (const element of root.querySelectorAll('[data-i18n]')) {
    const key = element.getAttribute('data-i18n') ?? '';
    if (known(key)) element.textContent = t(key);
  }
  for (const element of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (element.getAttribute('data-i18n-attr') ?? '').split(';')) {
      const [name, key] = pair.split('=').map((part) => part.trim());
      if (name && key && known(key)) element.setAttribute(name, t(key));
    }
  }
}
