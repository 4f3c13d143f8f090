/**
 * The Report tab's panel. The server makes a report on first request, in a
 * worker and with DNS lookups, so the panel asks for it only when the tab is
 * first shown, never for every message opened. A refusal (503 while the
 * server is busy or the report failed) says why, in the page's words, with a
 * button to ask again.
 */
import { focusQuietly, h } from '../dom.js';
import { t } from '../i18n/locale.js';
import { problemText } from '../problem-text.js';
import { reportView } from './report-view.js';

/** @typedef {import('../api-types.js').ApiReport} ApiReport */

/**
 * An empty panel, and `show` to call whenever its tab is selected: the first
 * call loads the report, later ones do nothing unless loading failed.
 * @param {() => Promise<ApiReport>} load
 * @returns {{ panel: HTMLElement, show: () => void }}
 */
export function reportPanel(load) {
  const body = h('div', { class: 'panel-report', tabindex: '0' });
  /** @type {'idle' | 'loading' | 'done'} */
  let state = 'idle';

  async function show() {
    if (state !== 'idle') return;
    state = 'loading';
    body.setAttribute('aria-busy', 'true');
    body.replaceChildren(h('p', { class: 'report-loading muted', role: 'status', text: t('report.loading') }));
    try {
      const report = await load();
      body.replaceChildren(reportView(report));
      state = 'done';
    } catch (error) {
      state = 'idle';
      // Aborted: another message was opened and this panel is gone with it.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      body.replaceChildren(failure(error));
    } finally {
      body.removeAttribute('aria-busy');
    }
  }

  /** @param {unknown} error */
  function failure(error) {
    const retry = h('button', { type: 'button', class: 'btn btn-secondary btn-small', text: t('report.retry') });
    retry.addEventListener('click', () => {
      // The button goes with the notice; focus stays in the panel rather than falling to the page.
      focusQuietly(body);
      void show();
    });
    return h('div', { class: 'notice notice-error report-failure', role: 'alert' }, h('p', { text: problemText(error, 'report.unreachable') }), retry);
  }

  return { panel: body, show: () => void show() };
}
