/**
 * What the page says when a server call fails, in the page's language. The
 * problem's machine `code` picks the sentence; the server's `detail` is
 * English, so it is shown only for a code the page has no words for, after
 * the page's own sentence about what failed.
 */
import { ApiError } from './api.js';
import { reasonText } from './address/reason-text.js';
import { t } from './i18n/locale.js';

/** @typedef {import('./api-types.js').ApiProblemCode} ApiProblemCode */

/**
 * The problems the page's own calls can meet, each said the same whatever
 * was asked. A refused address, name or domain is worded by its reason
 * code instead (reason-text.js).
 * @type {Partial<Record<ApiProblemCode, string>>}
 */
const PROBLEM_KEYS = {
  rate_limited: 'problem.rateLimited',
  too_many_reads: 'problem.tooManyReads',
  too_many_connections_from_client: 'problem.tooManyConnections',
  server_busy: 'problem.serverBusy',
  store_unavailable: 'problem.storeUnavailable',
  internal_error: 'problem.internalError',
  domain_not_accepted: 'problem.domainNotAccepted',
  message_not_found: 'problem.messageNotFound',
  report_failed: 'problem.reportFailed',
};

/**
 * The sentence for a failed call.
 * @param {unknown} error what the call threw
 * @param {string} failedKey the key of the page's sentence for what failed ("The message could not be deleted."),
 *   said alone when the error tells nothing more
 */
export function problemText(error, failedKey) {
  if (!(error instanceof ApiError)) return t(failedKey);
  if (error.status === 0) return t('problem.unreachable');
  if (error.reason !== null) return reasonText(error.reason, error.detail);
  const key = error.code === null ? undefined : PROBLEM_KEYS[error.code];
  if (key !== undefined) return t(key);
  // No problem document (a proxy's error page): its status says nothing a person can act on.
  if (error.code === null) return t(failedKey);
  return t('problem.withDetail', { failed: t(failedKey), detail: error.detail });
}
