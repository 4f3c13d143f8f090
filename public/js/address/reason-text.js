/**
 * Why the server refused an address, a name or a domain, in the page's
 * language: the refusal's stable `reasonCode` picks the sentence
 * ("reason.<code>" in the translation files) and its `reasonValues` fill it.
 * A code this page has no words for (a newer server) is said with the
 * server's English sentence.
 */
import { language, t } from '../i18n/locale.js';

/** @typedef {import('../api-types.js').ApiAddressReason} ApiAddressReason */

const scripts = new Intl.DisplayNames(language, { type: 'script', fallback: 'code' });
const alternatives = new Intl.ListFormat(language, { type: 'disjunction' });
const together = new Intl.ListFormat(language, { type: 'conjunction' });

/**
 * The refusal as a sentence.
 * @param {ApiAddressReason} reason
 * @param {string} english the server's sentence, said when the code is unknown here
 */
export function reasonText({ code, values }, english) {
  const key = `reason.${code}`;
  /** @type {Record<string, string | number>} */
  const slots = {};
  for (const [name, value] of Object.entries(values)) {
    // Domains are alternatives ("a.test or b.test"), other lists a set; a script is named in the reader's words ("кириллица" for Cyrl).
    if (Array.isArray(value)) slots[name] = (name === 'domains' ? alternatives : together).format(value);
    else slots[name] = name === 'script' && typeof value === 'string' ? scripts.of(value) ?? value : value;
  }
  const text = t(key, slots);
  return text === key ? english : text;
}
