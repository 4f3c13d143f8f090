/**
 * "Open on phone": a QR code of the inbox's URL, for someone signing up on a
 * phone while the page is open on a laptop. The code is drawn here, in the
 * browser, by the uqr library (loaded from this server when first asked
 * for), so the inbox URL is never sent anywhere to be encoded.
 */
import { t } from '../i18n/locale.js';
import { elementById } from '../page-elements.js';
import { inboxHash } from '../routes.js';

// A variable, not a literal: the type checker finds the library's types by its package name instead.
const QR_LIBRARY = '/vendor/uqr.mjs';

/**
 * The page's URL for an inbox, as its own routes build it.
 * @param {string} address
 */
function inboxUrl(address) {
  return `${window.location.origin}/${inboxHash(address)}`;
}

/** Names of this machine that no phone can reach: a code of them would open nothing there. */
const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * Wires the button and its dialog.
 * @param {() => string | null} currentAddress the inbox on show, if any yet
 */
export function setupQrCode(currentAddress) {
  const button = elementById('show-qr', HTMLButtonElement);
  const dialog = elementById('qr-dialog', HTMLDialogElement);
  const image = elementById('qr-image', HTMLImageElement);
  const link = elementById('qr-url', HTMLElement);
  const failed = elementById('qr-failed', HTMLElement);
  const loopback = elementById('qr-loopback', HTMLElement);
  button.addEventListener('click', async () => {
    const address = currentAddress();
    if (address === null) return;
    const url = inboxUrl(address);
    link.textContent = url;
    const { hostname } = window.location;
    loopback.hidden = !LOOPBACK.test(hostname);
    loopback.textContent = t('qr.loopback', { host: hostname });
    try {
      const { renderSVG } = /** @type {typeof import('uqr')} */ (await import(QR_LIBRARY));
      // Our own markup as an image: nothing is parsed into the page, and the page's CSP allows data: images.
      // The border is the four blank modules around the code that the QR standard asks for.
      image.src = `data:image/svg+xml,${encodeURIComponent(renderSVG(url, { ecc: 'M', border: 4 }))}`;
      image.hidden = false;
      failed.hidden = true;
    } catch {
      image.hidden = true;
      failed.hidden = false;
    }
    if (!dialog.open) dialog.showModal();
  });
}
