/**
 * How findings name what they found. File names, domains and URLs come from
 * the sender: they go into the report as JSON data, shown visibly and cut
 * short, so a hostile name can neither hide in invisible characters nor
 * grow a finding without bound. Counts and sizes in English words are the
 * English sentences' (src/report/sentences/).
 */
import { visibleText } from '../../mail/read/display-text.js';

const NAME_CHARACTERS = 80;

/** `text` in quotes, invisible characters left out and cut to 80 characters (an ellipsis says so). */
export function quoted(text: string): string {
  // Only the start is made visible: what is cut off is never shown anyway.
  const visible = [...visibleText(text.slice(0, NAME_CHARACTERS * 4))];
  const shown = visible.length > NAME_CHARACTERS ? `${visible.slice(0, NAME_CHARACTERS - 1).join('')}…` : visible.join('');
  return `"${shown}"`;
}

/** `count` with the noun in the singular or plural ("1 image", "3 images"). */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

/** Bytes in KB or MB (1 KB = 1,024 bytes, as Gmail counts its 102 KB), one decimal. */
export function sizeText(bytes: number): string {
  const kb = bytes / 1024;
  return kb < 1024 ? `${kb.toFixed(1)} KB` : `${(kb / 1024).toFixed(1)} MB`;
}
