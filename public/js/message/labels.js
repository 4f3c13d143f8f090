/** How a message is named in rows, headings and announcements. */
import { t } from '../i18n/locale.js';

/** @typedef {import('../api-types.js').ApiMailbox} ApiMailbox */

/**
 * The sender as people know them: the display name, else the address.
 * @param {ApiMailbox | null | undefined} from
 */
export function senderName(from) {
  if (from === null || from === undefined) return t('message.unknownSender');
  return from.name.trim() || from.address || t('message.unknownSender');
}

/**
 * The subject, or a stand-in when it is empty.
 * @param {{ subject: string }} summary
 */
export function subjectOf(summary) {
  return summary.subject.trim() || t('message.noSubject');
}
