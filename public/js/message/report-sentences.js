/**
 * The report's sentences in the page's language. The server sends each
 * check's message and each verdict's explanation as a code with the values
 * it names (src/report/sentences/), and the words of code `c` are the
 * translation key "reportSentence.c". Values are formatted by their name, as
 * the server's slot table defines them: `bytes` is a size in bytes (said with
 * fileSize), `seconds` a duration in seconds (said with elapsed); any other
 * number goes to t() as a number (so `count` picks the plural form), a
 * phrase is said by its own key, and a list is joined the language's way.
 * Pure: the words come in as functions, so it is tested without a browser.
 */

/** @typedef {import('../api-types.js').ApiReportSentence} ApiReportSentence */
/** @typedef {ApiReportSentence['values'][string]} ApiSentenceValue */
/** @typedef {import('../i18n/messages.js').Values} Values */

/**
 * What the sentences are said with.
 * @typedef {object} SentenceWords
 * @property {(key: string, values?: Values) => string} t the page's translator
 * @property {(bytes: number) => string} fileSize
 * @property {(seconds: number) => string} elapsed
 * @property {(items: string[]) => string} list "a, b and c" in the page's language
 */

const KEY_PREFIX = 'reportSentence.';

/**
 * A function that says sentences one after the other (a check's message and
 * its notes), or gives null when the page has no words for one of their
 * codes (a newer server's): the caller then shows the server's English.
 * @param {SentenceWords} words
 * @returns {(sentences: ApiReportSentence[]) => string | null}
 */
export function sentenceWriter({ t, fileSize, elapsed, list }) {
  /**
   * @param {ApiReportSentence} sentence
   * @returns {string | null}
   */
  function say({ code, values }) {
    const key = KEY_PREFIX + code;
    // The translator answers a key it has no words for with the key itself.
    if (t(key) === key) return null;
    /** @type {Values} */
    const said = {};
    for (const [name, value] of Object.entries(values)) {
      const text = valueText(name, value);
      if (text === null) return null;
      said[name] = text;
    }
    return t(key, said);
  }

  /**
   * @param {string} name
   * @param {ApiSentenceValue} value
   * @returns {string | number | null}
   */
  function valueText(name, value) {
    if (typeof value === 'number') return name === 'bytes' ? fileSize(value) : name === 'seconds' ? elapsed(value) : value;
    if (typeof value === 'string') return value;
    if (!Array.isArray(value)) return say(value);
    const items = value.map((item) => (typeof item === 'string' ? item : say(item)));
    return items.every((item) => item !== null) ? list(items) : null;
  }

  return (sentences) => {
    const texts = sentences.map(say);
    return texts.every((text) => text !== null) ? texts.join(' ') : null;
  };
}
