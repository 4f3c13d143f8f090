/**
 * "Forget this address?": asked before an address leaves this browser,
 * since a random address nobody wrote down cannot be found again. The
 * dialog says what forgetting does and what it does not: the mail stays on
 * the server until it expires.
 */
import { t } from '../i18n/locale.js';
import { elementById } from '../page-elements.js';

/**
 * Wires the dialog; `ask` shows it for one address.
 * @param {{ onConfirmed: (address: string) => void }} options
 * @returns {{ ask: (address: string) => void }}
 */
export function setupForgetDialog({ onConfirmed }) {
  const dialog = elementById('forget-dialog', HTMLDialogElement);
  const text = elementById('forget-text', HTMLElement);
  /** @type {string | null} */
  let asked = null;

  dialog.addEventListener('close', () => {
    const address = asked;
    asked = null;
    if (address !== null && dialog.returnValue === 'forget') onConfirmed(address);
  });

  return {
    ask(address) {
      asked = address;
      dialog.returnValue = '';
      text.textContent = t('addresses.forgetText', { address });
      dialog.showModal();
    },
  };
}
