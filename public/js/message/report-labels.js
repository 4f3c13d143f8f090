/**
 * The Report tab's names that depend on what the report holds: which key
 * words a verdict, a result or a group, and names with optional parts (a
 * domain, a selector). Explanations and check messages are said from their
 * codes (report-sentences.js); host names are shown as sent.
 */
import { t } from '../i18n/locale.js';

/** @typedef {import('../api-types.js').ApiReport['authentication']['spf']['result']} ApiAuthResult */
/** @typedef {import('../api-types.js').ApiReportCheck['status']} ApiCheckStatus */

/** @typedef {'inbox' | 'risk' | 'spam'} Verdict */

/** @type {Record<Verdict, { name: string, hint: string }>} */
export const VERDICT_KEYS = {
  inbox: { name: 'report.verdictInbox', hint: 'report.verdictInboxHint' },
  risk: { name: 'report.verdictRisk', hint: 'report.verdictRiskHint' },
  spam: { name: 'report.verdictSpam', hint: 'report.verdictSpamHint' },
};

/** @type {Record<ApiAuthResult, string>} */
export const RESULT_KEYS = {
  pass: 'report.resultPass',
  fail: 'report.resultFail',
  softfail: 'report.resultSoftfail',
  neutral: 'report.resultNeutral',
  none: 'report.resultNone',
  temperror: 'report.resultTemperror',
  permerror: 'report.resultPermerror',
  policy: 'report.resultPolicy',
};

/** Each group's title, with its count. @type {Record<Exclude<ApiCheckStatus, 'pass'>, string>} */
export const GROUP_KEYS = { fail: 'report.groupFail', warn: 'report.groupWarn', info: 'report.groupInfo' };

// The names of the standards are the same in every language.
const SPF = 'SPF';
const DMARC = 'DMARC';
const ARC = 'ARC';
/** What the DKIM line is called when the message has no signature. */
export const DKIM = 'DKIM';

/** @param {string | null} domain */
export function spfName(domain) {
  return domain === null ? SPF : t('report.spfFor', { domain });
}

/**
 * @param {string | null} domain
 * @param {string | null} selector
 */
export function dkimName(domain, selector) {
  if (domain === null) return t('report.dkimSignature');
  return selector === null ? t('report.dkimOf', { domain }) : t('report.dkimOfSelector', { domain, selector });
}

/** @param {string | null} domain */
export function dmarcName(domain) {
  return domain === null ? DMARC : t('report.dmarcFor', { domain });
}

/** @param {number} instances ARC sets in the message */
export function arcName(instances) {
  return instances === 0 ? ARC : t('report.arcSets', { count: instances });
}
