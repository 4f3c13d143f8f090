/**
 * Turns a translation file's entries into text. An entry is a string with
 * `{name}` slots, or, where a number changes the words, an object of plural
 * forms keyed by the CLDR categories of the language (`one`, `few`, `many`,
 * `other`...), chosen with Intl.PluralRules. Pure logic, tested without a
 * browser.
 */

/** @typedef {string | Record<string, string>} Entry */
/** @typedef {Record<string, Entry>} Dictionary */
/** @typedef {Record<string, string | number>} Values */

const SLOT = /\{(\w+)\}/g;

/**
 * A function that gives the text of a key in `language`, falling back to the
 * fallback dictionary, then to the key itself (so a missing string shows as
 * its key rather than as nothing).
 * @param {string} language
 * @param {Dictionary} dictionary
 * @param {Dictionary} fallback
 * @returns {(key: string, values?: Values) => string}
 */
export function createTranslator(language, dictionary, fallback) {
  const plurals = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);
  return (key, values = {}) => {
    const entry = dictionary[key] ?? fallback[key];
    if (entry === undefined) return key;
    const template = typeof entry === 'string' ? entry : pluralForm(entry, plurals, values.count);
    return template.replace(SLOT, (slot, name) => {
      const value = values[name];
      if (value === undefined) return slot;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

/**
 * @param {Record<string, string>} forms
 * @param {Intl.PluralRules} plurals
 * @param {string | number | undefined} count
 */
function pluralForm(forms, plurals, count) {
  const category = typeof count === 'number' ? plurals.select(count) : 'other';
  return forms[category] ?? forms.other ?? '';
}
