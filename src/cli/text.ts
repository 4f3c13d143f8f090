/**
 * Text for a terminal: what a sender wrote never reaches it as control
 * characters (an escape sequence in a subject could rewrite the screen or
 * the window title), and table cells are cut to the columns they get.
 */

// C0 and C1 controls (but tab and newline), and the bidirectional overrides that reorder what follows them.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;

/** Text from a message, safe to print: controls removed, tabs and newlines kept. */
export function printable(text: string): string {
  return text.replace(CONTROLS, '');
}

/** One line of text from a message: controls removed, every run of blanks (newlines too) one space. */
export function printableLine(text: string): string {
  return printable(text).replace(/\s+/gu, ' ').trim();
}

// Wide (two-column) ranges: Hangul Jamo, CJK and its punctuation, Hangul, compatibility ideographs, fullwidth forms, emoji, CJK extensions.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

/** Columns a code point takes: 2 for East Asian wide ones, else 1 (combining marks are counted too, so a cell is never wider than said). */
function columnsOf(char: string): number {
  return WIDE.test(char) ? 2 : 1;
}

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += columnsOf(char);
  return width;
}

/** `text` cut to at most `width` columns (ending with … when cut) and padded with spaces to exactly `width`. */
export function cell(text: string, width: number): string {
  if (displayWidth(text) <= width) return text + ' '.repeat(width - displayWidth(text));
  let cut = '';
  let used = 0;
  for (const char of text) {
    if (used + columnsOf(char) > width - 1) break;
    cut += char;
    used += columnsOf(char);
  }
  const kept = cut.trimEnd();
  return `${kept}…${' '.repeat(width - 1 - displayWidth(kept))}`;
}

/** `text` wrapped at word boundaries into lines of at most `width` columns, each starting with `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/u).filter((part) => part !== '')) {
    if (line !== '' && indent.length + displayWidth(`${line} ${word}`) > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
