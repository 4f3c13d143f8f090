/**
 * The language menu in the top bar. The choice is remembered in this
 * browser and the page reloads in it; the URL, and so the inbox, stays.
 */
import { saveLanguageChoice } from '../storage.js';
import { LANGUAGES } from './languages.js';
import { language } from './locale.js';

/**
 * Fills the menu with every language in its own name, the current one chosen.
 * @param {HTMLSelectElement} select
 */
export function setupLanguageSwitcher(select) {
  select.replaceChildren(...LANGUAGES.map(({ code, name }) => {
    const option = document.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = name;
    option.selected = code === language;
    return option;
  }));
  select.addEventListener('change', () => {
    saveLanguageChoice(select.value);
    window.location.reload();
  });
}
