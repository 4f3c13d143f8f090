/**
 * Escape closes the open message, as in mail apps, except where Escape
 * already means something: an open dialog closes itself with it, and a
 * text field or a list of options keeps it.
 */

/**
 * Whether this key press closes the open message.
 * @param {KeyboardEvent} event
 */
export function closesMessage(event) {
  if (event.key !== 'Escape' || event.defaultPrevented) return false;
  if (document.querySelector('dialog[open]') !== null) return false;
  const target = event.target;
  const keepsEscape = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
    || target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
  return !keepsEscape;
}
