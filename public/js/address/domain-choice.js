/**
 * Which domain new random addresses use, where the server takes mail for
 * several (a site that refuses one may accept another): a small menu beside
 * "New address", remembered in this browser and preselected in the name
 * dialog. With one domain nothing shows and the server picks its default.
 */
import { api } from '../api.js';
import { h } from '../dom.js';
import { loadDomainChoice, saveDomainChoice } from '../storage.js';

/**
 * Fills the menu once the server has said which domains it takes.
 * @param {{ container: HTMLElement, select: HTMLSelectElement }} parts `container` holds the menu and its label
 * @returns {{ preferred: () => string | undefined }} the domain for the next new address; undefined leaves it to the server
 */
export function setupDomainChoice({ container, select }) {
  select.addEventListener('change', () => saveDomainChoice(select.value));
  api.domains().then(({ domains, defaultDomain }) => {
    if (domains.length < 2) return;
    const stored = loadDomainChoice();
    // A remembered domain the server no longer takes is passed over, not sent to be refused.
    const chosen = stored !== null && domains.includes(stored) ? stored : defaultDomain;
    select.replaceChildren(...domains.map((domain) => h('option', { value: domain, text: `@${domain}`, selected: domain === chosen })));
    container.hidden = false;
  }).catch(() => {
    // Without the list the menu stays hidden and new addresses take the default domain.
  });
  return {
    preferred: () => (container.hidden ? undefined : select.value),
  };
}
