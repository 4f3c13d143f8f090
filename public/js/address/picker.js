/**
 * "Choose a name": a dialog where the person types a name and picks a
 * domain, with the server's reason shown as they type (the same rules SMTP
 * applies, so the page never disagrees with the server).
 */
import { api } from '../api.js';
import { t } from '../i18n/locale.js';
import { elementById } from '../page-elements.js';
import { problemText } from '../problem-text.js';
import { reasonText } from './reason-text.js';

// Quick enough to feel live, slow enough not to ask on every keystroke of a fast typist.
const CHECK_DELAY_MS = 150;

/**
 * Why the server refuses a name: in the page's words for the rule it names;
 * an older server's English sentence inside the page's own.
 * @param {ApiAddressCheck} check
 */
function refusalText({ reason, reasonCode, reasonValues }) {
  if (reasonCode !== null) return reasonText({ code: reasonCode, values: reasonValues ?? {} }, reason ?? t('picker.refused'));
  return reason === null ? t('picker.refused') : t('picker.refusedBecause', { reason });
}

/** @typedef {import('../api-types.js').ApiAddressCheck} ApiAddressCheck */
/** @typedef {import('../api-types.js').ApiInbox} ApiInbox */

/**
 * Wires the dialog; `open` shows it.
 * @param {{ onChosen: (inbox: ApiInbox) => void, preferredDomain: () => string | undefined }} options
 *   `preferredDomain` is preselected on every opening, when there is one
 * @returns {{ open: (opener?: HTMLElement) => Promise<void> }}
 */
export function setupAddressPicker({ onChosen, preferredDomain }) {
  const dialog = elementById('name-dialog', HTMLDialogElement);
  const form = elementById('name-form', HTMLFormElement);
  const input = elementById('local-part', HTMLInputElement);
  const select = elementById('domain', HTMLSelectElement);
  const feedback = elementById('name-feedback', HTMLElement);
  const submit = elementById('name-submit', HTMLButtonElement);
  const cancel = elementById('name-cancel', HTMLButtonElement);

  let domainsLoaded = false;
  let timer = 0;
  // Each check gets a number; only the answer to the latest one may change the message.
  let sequence = 0;
  /** @type {AbortController | null} */
  let inflight = null;
  /** @type {HTMLElement | null} */
  let opener = null;

  /**
   * @param {'hint' | 'ok' | 'error'} state
   * @param {string} text
   */
  function setFeedback(state, text) {
    feedback.dataset.state = state;
    feedback.textContent = text;
    input.setAttribute('aria-invalid', String(state === 'error'));
  }

  async function loadDomains() {
    if (domainsLoaded) return;
    const { domains, defaultDomain } = await api.domains();
    select.replaceChildren(...domains.map((domain) => {
      const option = document.createElement('option');
      option.value = domain;
      option.textContent = domain;
      option.selected = domain === defaultDomain;
      return option;
    }));
    // One domain needs no choosing; the select still names it.
    select.disabled = domains.length < 2;
    domainsLoaded = true;
  }

  /** @returns {Promise<boolean | null>} validity, or null when a newer check superseded this one */
  async function check() {
    window.clearTimeout(timer);
    const id = ++sequence;
    inflight?.abort();
    const localPart = input.value;
    if (localPart === '') {
      setFeedback('hint', t('picker.hint'));
      return false;
    }
    const controller = new AbortController();
    inflight = controller;
    try {
      const result = await api.checkAddress(localPart, select.value, controller.signal);
      if (id !== sequence) return null;
      if (result.valid) setFeedback('ok', t('picker.available', { address: result.address ?? '' }));
      else setFeedback('error', refusalText(result));
      return result.valid;
    } catch (error) {
      if (id !== sequence || controller.signal.aborted) return null;
      setFeedback('error', problemText(error, 'picker.checkFailed'));
      return false;
    }
  }

  function scheduleCheck() {
    window.clearTimeout(timer);
    sequence++;
    if (input.value === '') {
      inflight?.abort();
      setFeedback('hint', t('picker.hint'));
      return;
    }
    timer = window.setTimeout(check, CHECK_DELAY_MS);
  }

  input.addEventListener('input', scheduleCheck);
  select.addEventListener('change', scheduleCheck);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A check still pending must not overwrite what the submission says.
    window.clearTimeout(timer);
    inflight?.abort();
    sequence++;
    if (input.value === '') {
      setFeedback('error', t('picker.nameFirst'));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      // Created straight away; the server gives the precise reason if the name is wrong.
      const inbox = await api.createInbox({ localPart: input.value, domain: select.value });
      dialog.close();
      onChosen(inbox);
    } catch (error) {
      setFeedback('error', problemText(error, 'picker.useFailed'));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    window.clearTimeout(timer);
    inflight?.abort();
    sequence++;
    if (opener?.isConnected) opener.focus();
  });

  return {
    async open(from) {
      opener = from ?? null;
      input.value = '';
      setFeedback('hint', t('picker.hint'));
      dialog.showModal();
      input.focus();
      try {
        await loadDomains();
        const preferred = preferredDomain();
        if (preferred !== undefined) select.value = preferred;
      } catch (error) {
        setFeedback('error', problemText(error, 'picker.domainsFailed'));
      }
    },
  };
}
