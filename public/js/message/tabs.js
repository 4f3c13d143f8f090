/**
 * Accessible tabs (WAI-ARIA tabs pattern, automatic activation): Tab reaches
 * the selected tab, arrow keys, Home and End move between tabs, and the
 * panel follows. Buttons give Enter and Space for free.
 */
import { h } from '../dom.js';

let nextId = 0;

/**
 * A tab list over the given panels, one of them shown.
 * @param {string} label accessible name of the tab list
 * @param {Array<{ key: string, label: string, panel: HTMLElement, onShow?: () => void }>} tabs
 *   `onShow` runs each time its tab is selected: a panel can wait until then to load.
 * @param {string} initial key of the tab shown first
 * @returns {{ element: HTMLElement, select: (key: string) => void }}
 */
export function buildTabs(label, tabs, initial) {
  const prefix = `tabs-${nextId++}`;
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
  const panels = h('div', { class: 'tab-panels' });
  const entries = tabs.map(({ key, label: text, panel, onShow }) => {
    const button = h('button', {
      type: 'button', role: 'tab', class: 'tab', id: `${prefix}-${key}-tab`, 'aria-controls': `${prefix}-${key}`, dataset: { key },
    }, text);
    panel.id = `${prefix}-${key}`;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', button.id);
    panel.classList.add('tab-panel');
    button.addEventListener('click', () => select(key));
    list.append(button);
    panels.append(panel);
    return { key, panel, button, onShow };
  });

  /**
   * @param {string} key
   * @param {{ focus?: boolean }} [options]
   */
  function select(key, { focus = false } = {}) {
    for (const entry of entries) {
      const selected = entry.key === key;
      entry.button.setAttribute('aria-selected', String(selected));
      entry.button.tabIndex = selected ? 0 : -1;
      entry.panel.hidden = !selected;
      if (selected && focus) entry.button.focus();
      if (selected) entry.onShow?.();
    }
  }

  list.addEventListener('keydown', (event) => {
    const index = entries.findIndex((entry) => entry.button === document.activeElement);
    if (index < 0) return;
    const last = entries.length - 1;
    const target = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
        : event.key === 'Home' ? 0
          : event.key === 'End' ? last
            : -1;
    const next = entries[target];
    if (next === undefined) return;
    event.preventDefault();
    select(next.key, { focus: true });
  });

  select(initial);
  return { element: h('div', { class: 'tabs-wrap' }, list, panels), select };
}
