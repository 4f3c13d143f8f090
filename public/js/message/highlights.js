/**
 * What most mail here is opened for, up front: the verification code one
 * click from the clipboard, and the link that verifies or signs in.
 */
import { copyWithFeedback } from '../clipboard.js';
import { h, icon, ICONS } from '../dom.js';
import { t } from '../i18n/locale.js';
import { externalLink, safeWebUrl } from './parts.js';

/** @typedef {import('../api-types.js').ApiLink} ApiLink */

/**
 * The likeliest code, big, with a Copy button; up to three others as chips.
 * Null when the message has no code.
 * @param {string[]} codes most likely first
 */
export function codeCard(codes) {
  const [code, ...others] = codes.filter((candidate) => typeof candidate === 'string' && candidate !== '');
  if (code === undefined) return null;
  const copy = h('button', { type: 'button', class: 'btn btn-primary btn-copy-code' }, icon(ICONS.copy), h('span', { class: 'btn-label', text: t('message.copyCode') }));
  copy.addEventListener('click', () => copyWithFeedback(copy, code, 'Code'));
  const alternatives = others.slice(0, 3).map((other) => {
    const chip = h('button', { type: 'button', class: 'code-chip', 'aria-label': t('message.copyThisCode', { code: other }) }, icon(ICONS.copy), h('span', { class: 'btn-label', text: other }));
    chip.addEventListener('click', () => copyWithFeedback(chip, other, 'Code'));
    return chip;
  });
  return h('section', { class: 'code-card', 'aria-labelledby': 'code-label' },
    h('div', { class: 'code-main' },
      h('p', { class: 'eyebrow', id: 'code-label', text: t('message.verificationCode') }),
      h('p', { class: 'code-value', text: code })),
    copy,
    alternatives.length > 0 ? h('p', { class: 'code-others' }, h('span', { class: 'muted', text: t('message.alsoFound') }), alternatives) : null);
}

/**
 * The link that most likely verifies, confirms or signs in, as a button
 * that names the host it opens. Null when there is no such http(s) link.
 * @param {ApiLink[]} links
 * @param {string} style the button's class
 */
export function actionLink(links, style) {
  const action = links.find((link) => link.action);
  const url = action === undefined ? null : safeWebUrl(action.url);
  if (action === undefined || url === null) return null;
  const text = (action.text ?? '').replace(/\s+/g, ' ').trim();
  const label = text.length >= 2 && text.length <= 48 ? text : t('message.openLink');
  return h('div', { class: 'action' },
    externalLink(url, { class: `btn ${style} btn-action` }, h('span', { text: label }), icon(ICONS.external),
      h('span', { class: 'visually-hidden', text: ` ${t('message.newTab')}` })),
    // Where a button goes matters more than what it says: the host is shown plainly.
    h('span', { class: 'action-host muted', text: t('message.opensHost', { host: url.host }) }));
}
