/**
 * The Report tab's panel. The server makes a report on first request, in a
 * worker and with DNS lookups, so the panel asks for it only when the tab is
 * first shown, never for every message opened. A refusal (503 while the
 * server is busy or the report failed) shows the server's sentence and a
 * button to ask again.
 */
import { ApiError } from '../api.js';
import { focusQuietly, h } from '../dom.js';
import { REPORT_TEXT } from './report-labels.js';
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
    body.replaceChildren(h('p', { class: 'report-loading muted', role: 'status', text: REPORT_TEXT.loading }));
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
    const retry = h('button', { type: 'button', class: 'btn btn-secondary btn-small', text: REPORT_TEXT.retry });
    retry.addEventListener('click', () => {
      // The button goes with the notice; focus stays in the panel rather than falling to the page.
      focusQuietly(body);
      void show();
    });
    const sentence = error instanceof ApiError ? error.detail : REPORT_TEXT.unreachable;
    return h('div', { class: 'notice notice-error report-failure', role: 'alert' }, h('p', { text: sentence }), retry);
  }

  return { panel: body, show: () => void show() };
}
