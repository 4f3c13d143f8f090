/** Copying with visible and audible confirmation. */
import { t } from './i18n/locale.js';

let announceTimer = 0;

/**
 * Says something to screen readers through the page's polite live region.
 * @param {string} message
 */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (region === null) return;
  // Cleared first, so the same sentence twice in a row is still read out.
  region.textContent = '';
  window.clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/**
 * Puts text on the clipboard.
 * @param {string} text
 * @returns {Promise<boolean>} whether it was copied
 */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and non-secure origins (plain http on a LAN) have no async clipboard.
    return legacyCopy(text);
  }
}

/** @param {string} text */
function legacyCopy(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/** @type {WeakMap<HTMLButtonElement, number>} */
const restoreTimers = new WeakMap();

/**
 * What is said once something was copied, or could not be: a whole sentence
 * for each thing, since the words around it change with it in some languages.
 */
const ANNOUNCEMENT_KEYS = {
  Address: { copied: 'copy.addressCopied', failed: 'copy.addressFailed' },
  Code: { copied: 'copy.codeCopied', failed: 'copy.codeFailed' },
};

/**
 * Copies and flips the button's label to "Copied" for a moment. The label
 * lives in a `.btn-label` child when the button also has an icon.
 * @param {HTMLButtonElement} button
 * @param {string} text
 * @param {keyof ANNOUNCEMENT_KEYS} what what was copied, for the announcement
 */
export async function copyWithFeedback(button, text, what) {
  const label = button.querySelector('.btn-label') ?? button;
  const original = button.dataset.label ?? label.textContent ?? '';
  button.dataset.label = original;
  const copied = await copyText(text);
  label.textContent = t(copied ? 'copy.done' : 'copy.pressKeys');
  button.classList.toggle('is-copied', copied);
  const keys = ANNOUNCEMENT_KEYS[what];
  announce(t(copied ? keys.copied : keys.failed));
  window.clearTimeout(restoreTimers.get(button));
  restoreTimers.set(button, window.setTimeout(() => {
    label.textContent = original;
    button.classList.remove('is-copied');
  }, 1_600));
  return copied;
}
