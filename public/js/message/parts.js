/**
 * The pieces of an open message: the sandboxed HTML frame with its remote
 * images switch, the plain text, the headers and the attachments. Every
 * message field goes in as text; the only URLs used are our own API paths
 * and http(s) links checked here.
 */
import { api, isApiPath } from '../api.js';
import { focusQuietly, h, icon, ICONS } from '../dom.js';
import { t } from '../i18n/locale.js';
import { fileSize } from '../time.js';
import { fitFrameToContent } from './frame-fit.js';

/** @typedef {import('../api-types.js').ApiMessage} ApiMessage */
/** @typedef {import('../dom.js').Children} Children */

/**
 * An http(s) URL as a URL object, or null for anything else (javascript:, data:, garbage).
 * @param {string} raw
 */
export function safeWebUrl(raw) {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * A link that leaves the page: new tab, no opener, no Referer (which would name the inbox).
 * @param {URL} url
 * @param {Record<string, unknown>} props
 * @param {...Children} children
 */
export function externalLink(url, props, ...children) {
  return h('a', { ...props, href: url.href, target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer' }, ...children);
}

/**
 * The HTML view. The iframe may run no script at all, so it can reach
 * neither this page nor our API with the reader's rights; only links may
 * open, in new tabs outside the sandbox. It is same-origin without scripts
 * so that this page can size it to the message (frame-fit.js says why that
 * is safe); `allow-scripts` must never join `allow-same-origin`, since
 * together they let a document lift its own sandbox.
 * @param {string} htmlUrl our API's path of the sanitised document
 * @param {AbortSignal} signal
 */
export function htmlPanel(htmlUrl, signal) {
  const frame = document.createElement('iframe');
  // Set before src and before insertion, so the very first load is sandboxed.
  frame.setAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox allow-same-origin');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('title', t('message.frameTitle'));
  frame.className = 'message-frame';
  frame.src = htmlUrl;
  fitFrameToContent(frame, signal);
  // Keys pressed in the message go to its document, not this page: Escape is passed on, so it closes the message from there too.
  frame.addEventListener('load', () => {
    frame.contentDocument?.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') frame.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
  }, { signal });

  const text = h('span', { class: 'remote-text' });
  const button = h('button', { type: 'button', class: 'btn btn-secondary btn-small' }, icon(ICONS.image), t('message.loadRemote'));
  const bar = h('div', { class: 'remote-bar', hidden: true, tabindex: '-1' }, text, button);
  button.addEventListener('click', () => {
    const separator = htmlUrl.includes('?') ? '&' : '?';
    frame.src = `${htmlUrl}${separator}remote=1`;
    button.remove();
    text.textContent = t('message.remoteShown');
    bar.classList.add('is-loaded');
    focusQuietly(bar);
  });

  api.blockedRemoteCount(htmlUrl, signal).then((count) => {
    if (count === 0) return;
    text.textContent = t('message.remoteBlocked', { count });
    bar.hidden = false;
  }, () => {
    // Unknown: the message still reads fine without the switch.
  });

  return h('div', { class: 'panel-html' }, bar, h('div', { class: 'frame-wrap' }, frame));
}

// Plain text links stay clickable. Trailing punctuation usually ends the sentence, not the URL.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)\]}>]+$/;

/**
 * The plain text, its web links clickable.
 * @param {ApiMessage} message
 */
export function textPanel(message) {
  const pre = h('pre', { class: 'message-text' });
  const text = message.text || '';
  if (text.trim() === '') {
    pre.append(h('span', { class: 'muted', text: t(message.htmlUrl ? 'message.noTextSeeHtml' : 'message.noText') }));
  }
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const raw = match[0].replace(TRAILING, '');
    const url = safeWebUrl(raw);
    if (url === null) continue;
    pre.append(text.slice(last, match.index), externalLink(url, {}, raw));
    last = match.index + raw.length;
  }
  pre.append(text.slice(last));
  return h('div', { class: 'panel-text', tabindex: '0' }, pre);
}

/**
 * The envelope and every header, as sent.
 * @param {ApiMessage} message
 */
export function headersPanel(message) {
  const rows = [
    [t('message.envelopeFrom'), message.envelope?.mailFrom ?? t('message.none')],
    [t('message.envelopeTo'), (message.envelope?.rcptTo ?? []).join(', ')],
    ...message.headers.map((header) => [header.name, header.value]),
  ];
  return h('div', { class: 'panel-headers', tabindex: '0' },
    h('table', { class: 'headers-table' },
      h('caption', { class: 'visually-hidden', text: t('message.headersCaption') }),
      h('tbody', {}, rows.map(([name, value], index) => h('tr', { class: index < 2 ? 'is-envelope' : null },
        h('th', { scope: 'row', text: name }),
        h('td', { text: value }))))));
}

/**
 * Download links of the attachments, or null when there are none.
 * @param {ApiMessage} message
 */
export function attachmentsSection(message) {
  const items = message.attachments.filter((attachment) => isApiPath(attachment.url));
  if (items.length === 0) return null;
  return h('section', { class: 'attachments', 'aria-labelledby': 'attachments-title' },
    h('h3', { class: 'section-title', id: 'attachments-title', text: t('message.attachments', { count: items.length }) }),
    h('ul', { class: 'attachment-list' }, items.map((attachment) => {
      const name = attachment.filename || t('message.unnamedAttachment', { number: attachment.index + 1 });
      const details = [attachment.contentType, fileSize(attachment.size), attachment.inline ? t('message.inline') : null].filter(Boolean).join(' · ');
      // No value on `download`: the server's Content-Disposition names the file, already made safe.
      return h('li', { class: 'attachment' },
        h('span', { class: 'attachment-icon' }, icon(ICONS.paperclip)),
        h('span', { class: 'attachment-info' },
          h('span', { class: 'attachment-name', text: name, title: name }),
          h('span', { class: 'attachment-meta', text: details })),
        h('a', { class: 'btn btn-secondary btn-small', href: attachment.url, download: true, 'aria-label': t('message.downloadThis', { name }) },
          icon(ICONS.download), h('span', { class: 'hide-narrow', text: t('message.download') })));
    })));
}
