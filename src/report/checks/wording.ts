/**
 * How findings name what they found. File names, domains and URLs come from
 * the sender: they go into the report as JSON data, shown visibly and cut
 * short, so a hostile name can neither hide in invisible characters nor
 * grow a finding without bound.
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
