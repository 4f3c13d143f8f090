/**
 * The fixed elements of index.html that the scripts drive, looked up once
 * and checked, so a renamed id fails loudly at start instead of later.
 */

/**
 * The element with this id, which must be a `type`.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type
 * @returns {T}
 */
export function elementById(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html has no ${type.name} with id "${id}".`);
  return element;
}

/** The page's own parts, by what they are for. */
export const ui = {
  addressLabel: elementById('address-label', HTMLElement),
  address: elementById('address', HTMLElement),
  copyAddress: elementById('copy-address', HTMLButtonElement),
  newAddress: elementById('new-address', HTMLButtonElement),
  chooseName: elementById('choose-name', HTMLButtonElement),
  domainChoice: elementById('domain-choice', HTMLElement),
  newDomain: elementById('new-domain', HTMLSelectElement),
  savedAddresses: elementById('saved-addresses', HTMLElement),
  savedList: elementById('saved-list', HTMLUListElement),
  publicNote: elementById('public-note', HTMLElement),
  linkNote: elementById('link-note', HTMLElement),
  ownInbox: elementById('own-inbox', HTMLButtonElement),
  keepAddress: elementById('keep-address', HTMLButtonElement),
  addressError: elementById('address-error', HTMLElement),
  connection: elementById('connection', HTMLElement),
  connectionText: elementById('connection-text', HTMLElement),
  language: elementById('language', HTMLSelectElement),
  workspace: elementById('workspace', HTMLElement),
  heading: elementById('inbox-heading', HTMLElement),
  count: elementById('message-count', HTMLElement),
  emptyInbox: elementById('empty-inbox', HTMLButtonElement),
  emptyAddress: elementById('empty-address', HTMLElement),
  retention: elementById('retention', HTMLElement),
  confirm: elementById('confirm-dialog', HTMLDialogElement),
  messageList: elementById('message-list', HTMLUListElement),
  emptyState: elementById('empty-state', HTMLElement),
  messageView: elementById('message-view', HTMLElement),
  messagePlaceholder: elementById('message-placeholder', HTMLElement),
};
