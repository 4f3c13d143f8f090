/**
 * Header text as listings show it: one line of visible characters, bounded
 * in the bytes it takes in JSON. A summary goes into every listing and live
 * hello of its inbox, so what a sender writes into a subject or a name must
 * not grow there. A control character or a lone surrogate takes six bytes
 * once JSON escapes it (`\u00XX`), so a field cut at N characters could
 * still be 6N bytes; here it is cut at N bytes.
 */

// Line breaks and tabs stand for a space in a one-line field.
const LINE_BREAKS = /[\t\n\v\f\r\x85\u2028\u2029]/g;
// The other controls (C0, DEL, C1) and lone surrogates, which JSON escapes,
// and invisible characters that hide or reorder what is shown: the zero-width
// space, word joiners, the byte-order mark, bidi embeddings, overrides and isolates.
const INVISIBLE = /[\p{Cc}\p{Cs}\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with line breaks as spaces, and controls, lone surrogates and invisible formatting characters left out. */
export function visibleText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '');
}

/**
 * `text` made visible (see `visibleText`) and cut to at most `maxBytes` bytes
 * inside a JSON string, as JSON.stringify writes it in UTF-8, never inside a
 * character.
 */
export function displayText(text: string, maxBytes: number): string {
  // However long the text, only its first maxBytes units are read: each takes at least a
  // byte in JSON, so no more could fit, and junk left out uses up the field's own room.
  const visible = visibleText(text.slice(0, maxBytes));
  let bytes = 0;
  let end = 0;
  for (const character of visible) {
    bytes += jsonBytes(character) - 2;
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return visible.slice(0, end);
}

/** The bytes `value` takes as JSON in UTF-8. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
