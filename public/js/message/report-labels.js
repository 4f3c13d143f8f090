/**
 * Every word and sentence the Report tab shows of its own, in one place so
 * translations (issue 22) touch this file only. What comes from the report
 * itself (explanations, check messages, host names) is shown as sent.
 */

/** @typedef {import('../api-types.js').ApiReport['authentication']['spf']['result']} ApiAuthResult */
/** @typedef {import('../api-types.js').ApiReportCheck['status']} ApiCheckStatus */

/** @typedef {'inbox' | 'risk' | 'spam'} Verdict */

/** @param {number} count @param {string} one @param {string} many */
const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

export const REPORT_TEXT = {
  tab: 'Report',
  loading: 'Making the report: checking SPF, DKIM and DMARC can take a few seconds.',
  retry: 'Try again',
  unreachable: 'The report could not be loaded.',

  scoreLabel: 'Deliverability score',
  /** @param {number} score */
  score: (score) => `${score} / 10`,
  /** @type {Record<Verdict, string>} */
  verdicts: { inbox: 'Likely inbox', risk: 'At risk', spam: 'Likely spam' },
  /** @type {Record<Verdict, string>} */
  verdictHints: {
    inbox: 'A receiving provider would most likely deliver this message to the inbox.',
    risk: 'Some providers may put this message in spam; the checks below say what to fix.',
    spam: 'Most providers would put this message in spam or refuse it; the checks below say what to fix.',
  },

  authenticationTitle: 'Authentication',
  dnsOff: 'This server makes no DNS lookups (--dns-servers off), so SPF, DKIM and DMARC were not checked; start it with DNS to see them.',
  /** @param {string | null} domain */
  spf: (domain) => (domain === null ? 'SPF' : `SPF for ${domain}`),
  /** @param {string | null} domain @param {string | null} selector */
  dkim: (domain, selector) => (domain === null ? 'DKIM signature'
    : selector === null ? `DKIM signature of ${domain}` : `DKIM signature of ${domain} (selector ${selector})`),
  dkimNone: 'DKIM',
  dkimNoneExplanation: 'The message carries no DKIM signature.',
  /** @param {string | null} domain */
  dmarc: (domain) => (domain === null ? 'DMARC' : `DMARC for ${domain}`),
  /** @param {'none' | 'quarantine' | 'reject'} policy */
  dmarcPolicy: (policy) => `Published policy: ${policy}.`,
  /** @param {number} instances */
  arc: (instances) => (instances === 0 ? 'ARC' : `ARC (${plural(instances, 'set', 'sets')})`),
  /** @type {Record<ApiAuthResult, string>} */
  results: {
    pass: 'Pass',
    fail: 'Fail',
    softfail: 'Soft fail',
    neutral: 'Neutral',
    none: 'None',
    temperror: 'Temporary error',
    permerror: 'Permanent error',
    policy: 'Key refused',
  },

  checksTitle: 'Checks',
  /** @type {Record<Exclude<ApiCheckStatus, 'pass'>, string>} */
  groups: { fail: 'Failed', warn: 'Warnings', info: 'For your information' },
  /** @param {number} count */
  passed: (count) => `${plural(count, 'check', 'checks')} passed`,
  /** @param {number} points */
  penalty: (points) => `−${points}`,

  timelineTitle: 'Timeline',
  unknownHost: 'unknown host',
  unknownTime: 'time unknown',
  /** @param {string} span */
  delay: (span) => `+${span}`,
  /** @param {string} span */
  clockSkew: (span) => `clocks disagree by ${span}`,
  /** @param {string} span */
  total: (span) => `${span} from the Date header to arrival here.`,
  totalLabel: 'Total',
  noTotal: 'The Date header is missing or unreadable, so the total time is unknown.',
  /** @param {number} count */
  omitted: (count) => `${plural(count, 'older Received header was', 'older Received headers were')} not read: only the newest 50 are.`,
};
