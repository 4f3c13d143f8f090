// Readers get at most this much text; the raw message keeps the rest. Real mail
// stays far below it, but HTML turned into text can grow tenfold (rules, list
// numbers, table padding), and this text is copied to the main thread and
// written into JSON there, where 10 MB of it would stall every other request.
/** The most characters of text a parsed message gives its readers. */
export const MAX_TEXT_CHARACTERS = 1024 * 1024;

/** The text cut to MAX_TEXT_CHARACTERS, never on half a surrogate pair (which JSON would write as an escape). */
export function cutText(text: string): string {
  if (text.length <= MAX_TEXT_CHARACTERS) return text;
  const high = /[\ud800-\udbff]/.test(text.charAt(MAX_TEXT_CHARACTERS - 1));
  return text.slice(0, MAX_TEXT_CHARACTERS - (high ? 1 : 0));
}
