/**
 * A deliverability report, drawn: the score large with its verdict, then
 * authentication, the checks by severity and the delivery timeline. Every
 * string from the report (host names, domains, the values of sentences)
 * comes from a hostile sender's message and goes in as text, through `h`
 * only. Sentences are said in the page's language from their codes, in the
 * server's English only for a code the page does not know.
 */
import { h } from '../dom.js';
import { language, t } from '../i18n/locale.js';
import { elapsed, fileSize, fullDate } from '../time.js';
import { arcName, DKIM, dkimName, dmarcName, GROUP_KEYS, RESULT_KEYS, spfName, VERDICT_KEYS } from './report-labels.js';
import { sentenceWriter } from './report-sentences.js';

/** @typedef {import('../api-types.js').ApiReport} ApiReport */
/** @typedef {import('../api-types.js').ApiReportCheck} ApiReportCheck */
/** @typedef {ApiReport['authentication']} ApiAuthentication */
/** @typedef {import('../api-types.js').ApiReportSentence} ApiReportSentence */
/** @typedef {ApiAuthentication['spf']['result']} ApiAuthResult */
/** @typedef {ApiReport['timeline']} ApiTimeline */
/** @typedef {ApiTimeline['hops'][number]} ApiTimelineHop */
/** @typedef {import('./report-labels.js').Verdict} Verdict */
/** @typedef {import('../dom.js').Children} Children */

/** Severities shown as groups, worst first; passes are folded away after them. */
const GROUPED = /** @type {const} */ (['fail', 'warn', 'info']);

const lists = new Intl.ListFormat(language, { type: 'conjunction' });
const writeSentences = sentenceWriter({ t, fileSize, elapsed, list: (items) => lists.format(items) });

/**
 * A verdict's explanation in the page's words.
 * @param {{ explanation: string, explanationCode: ApiReportSentence['code'], explanationValues: ApiReportSentence['values'] }} verdict
 */
function explanationText(verdict) {
  return writeSentences([{ code: verdict.explanationCode, values: verdict.explanationValues }]) ?? verdict.explanation;
}

/**
 * A check's message, and its notes, in the page's words.
 * @param {ApiReportCheck} check
 */
function messageText(check) {
  return writeSentences([{ code: check.messageCode, values: check.messageValues }, ...check.messageNotes]) ?? check.message;
}

/**
 * The whole report.
 * @param {ApiReport} report
 */
export function reportView(report) {
  return h('div', { class: 'report' },
    scoreCard(report.score),
    authenticationSection(report.authentication),
    checksSection(report.checks),
    timelineSection(report.timeline));
}

/**
 * The verdict word beside the score (README, "Is my mail going to land in
 * spam?"): 9 and up likely inbox, 6 and up at risk, below that likely spam.
 * @param {number} score
 * @returns {Verdict}
 */
function verdictOf(score) {
  return score >= 9 ? 'inbox' : score >= 6 ? 'risk' : 'spam';
}

/** @param {number} score */
function scoreCard(score) {
  const verdict = verdictOf(score);
  return h('section', { class: 'report-score', dataset: { verdict }, 'aria-label': t('report.scoreLabel') },
    h('p', { class: 'report-score-value', text: t('report.score', { score }) }),
    h('div', { class: 'report-score-words' },
      h('p', { class: 'report-verdict', text: t(VERDICT_KEYS[verdict].name) }),
      h('p', { class: 'report-verdict-hint', text: t(VERDICT_KEYS[verdict].hint) })));
}

/**
 * A titled part of the report.
 * @param {string} title
 * @param {...Children} children
 */
function section(title, ...children) {
  return h('section', { class: 'report-section' }, h('h3', { class: 'section-title', text: title }), ...children);
}

/** @param {ApiAuthentication} auth */
function authenticationSection(auth) {
  const dkim = auth.dkim.length === 0
    ? [authItem(DKIM, 'none', t('report.dkimNone'))]
    : auth.dkim.map((signature) => authItem(dkimName(signature.domain, signature.selector), signature.result, explanationText(signature)));
  // The policy is DMARC's own keyword (none, quarantine, reject), shown as published.
  const policy = auth.dmarc.policy === null ? null : t('report.dmarcPolicy', { policy: auth.dmarc.policy });
  return section(t('report.authentication'),
    auth.dnsChecked ? null : h('p', { class: 'notice notice-warning report-dns-off', role: 'note', text: t('report.dnsOff') }),
    h('ul', { class: 'report-list' },
      authItem(spfName(auth.spf.domain), auth.spf.result, explanationText(auth.spf)),
      dkim,
      authItem(dmarcName(auth.dmarc.domain), auth.dmarc.result, explanationText(auth.dmarc), policy),
      authItem(arcName(auth.arc.instances), auth.arc.result, explanationText(auth.arc))));
}

/**
 * How a result reads at a glance; the word beside it says the same.
 * @param {ApiAuthResult} result
 */
function toneOf(result) {
  switch (result) {
    case 'pass': return 'good';
    case 'fail': case 'permerror': case 'policy': return 'bad';
    case 'softfail': case 'temperror': case 'neutral': return 'warn';
    case 'none': return 'quiet';
  }
}

/**
 * @param {string} name
 * @param {ApiAuthResult} result
 * @param {string} explanation
 * @param {string | null} [detail]
 */
function authItem(name, result, explanation, detail = null) {
  return h('li', { class: 'report-item' },
    h('div', { class: 'report-item-head' },
      h('span', { class: 'report-item-name', text: name }),
      h('span', { class: 'report-badge', dataset: { tone: toneOf(result) }, text: t(RESULT_KEYS[result]) })),
    h('p', { class: 'report-item-text', text: explanation }),
    detail === null ? null : h('p', { class: 'report-item-detail', text: detail }));
}

/** @param {ApiReportCheck[]} checks */
function checksSection(checks) {
  const passed = checks.filter((check) => check.status === 'pass');
  return section(t('report.checks'),
    GROUPED.map((status) => {
      const group = checks.filter((check) => check.status === status);
      if (group.length === 0) return null;
      return h('div', { class: 'report-group', dataset: { status } },
        h('h4', { class: 'report-group-title', text: t(GROUP_KEYS[status], { count: group.length }) }),
        checkList(group));
    }),
    passed.length === 0 ? null : h('details', { class: 'report-group', dataset: { status: 'pass' } },
      h('summary', { class: 'report-group-title', text: t('report.passed', { count: passed.length }) }),
      checkList(passed)));
}

/** @param {ApiReportCheck[]} checks */
function checkList(checks) {
  return h('ul', { class: 'report-list' }, checks.map((check) => h('li', { class: 'report-item report-check', dataset: { check: check.id } },
    h('div', { class: 'report-item-head' },
      h('span', { class: 'report-item-text', text: messageText(check) }),
      check.penalty > 0 ? h('span', { class: 'report-penalty', text: `−${check.penalty}` }) : null),
    h('code', { class: 'report-check-id', text: check.id }))));
}

/** @param {ApiTimeline} timeline */
function timelineSection(timeline) {
  return section(t('report.timeline'),
    h('ol', { class: 'report-list report-hops' }, timeline.hops.map(hopItem)),
    h('p', { class: 'report-total' }, timeline.totalSeconds === null
      ? t('report.noTotal')
      : [h('strong', { text: t('report.totalLabel') }), ' ', totalText(timeline.totalSeconds)]),
    timeline.omittedHops > 0 ? h('p', { class: 'report-item-detail', text: t('report.omitted', { count: timeline.omittedHops }) }) : null);
}

/** @param {ApiTimelineHop} hop */
function hopItem(hop) {
  return h('li', { class: 'report-item report-hop' },
    h('p', { class: 'report-hop-route' },
      h('span', { class: 'report-hop-from', text: hop.from ?? t('report.unknownHost') }),
      h('span', { class: 'report-hop-arrow', 'aria-hidden': 'true', text: ' → ' }),
      h('span', { class: 'visually-hidden', text: ` ${t('report.hopTo')} ` }),
      h('span', { class: 'report-hop-by', text: hop.by ?? t('report.unknownHost') })),
    h('p', { class: 'report-item-detail' },
      hop.at === null ? t('report.unknownTime') : h('time', { datetime: hop.at, text: fullDate(hop.at) }),
      hop.delaySeconds === null ? null : [' · ', h('span', { class: 'report-delay', text: delayText(hop.delaySeconds) })]));
}

/**
 * "+12 s"; a negative delay is two clocks disagreeing, said as such.
 * @param {number} seconds
 */
function delayText(seconds) {
  return seconds < 0 ? t('report.clockSkew', { duration: elapsed(-seconds) }) : `+${elapsed(seconds)}`;
}

/**
 * From the Date header to arrival; a Date in the future is a sender's clock ahead.
 * @param {number} seconds
 */
function totalText(seconds) {
  return seconds < 0 ? delayText(seconds) : t('report.total', { duration: elapsed(seconds) });
}
