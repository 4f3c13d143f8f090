import type { ApiProblemBody } from '../http/api/types.js';

/** What an `EphemailError` may carry besides its `cause`. */
export interface EphemailErrorOptions extends ErrorOptions {
  /** The problem document's `reasonCode`: which rule refused an address, name or domain. */
  reasonCode?: string;
  /** The problem document's `reasonValues`: what its `detail` names. */
  reasonValues?: NonNullable<ApiProblemBody['reasonValues']>;
}

/**
 * A request the server refused or could not answer. `detail` is the
 * server's explanation (the problem document's `detail`) when it sent one.
 */
export class EphemailError extends Error {
  override readonly name: string = 'EphemailError';

  /**
   * For a refused address, name or domain (`invalid_address`,
   * `invalid_name`, `domain_not_accepted`): the stable code of the rule,
   * such as `name_double_dot` (README lists them); null otherwise. A plain
   * string, as a newer server may add codes.
   */
  readonly reasonCode: string | null;
  /** With `reasonCode`: the values `detail` names, such as `{ character: 'ж', script: 'Cyrl' }`; null otherwise. */
  readonly reasonValues: NonNullable<ApiProblemBody['reasonValues']> | null;

  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came at all (the server was not reachable). */
    readonly status: number,
    /** What went wrong, as the server put it. */
    readonly detail: string,
    /** From a 429 or 503 response's Retry-After: when trying again may succeed. */
    readonly retryAfterSeconds: number | null = null,
    /**
     * The problem document's stable `code` (`ApiProblemBody['code']`, such as
     * `invalid_address` or `rate_limited`), for programs to branch on; null
     * when the answer had none. A newer server may send a code this client
     * does not list, hence a plain string.
     */
    readonly code: string | null = null,
    options?: EphemailErrorOptions,
  ) {
    super(message, options);
    this.reasonCode = options?.reasonCode ?? null;
    this.reasonValues = options?.reasonValues ?? null;
  }
}

/** What a wait was for, as the error reports it. */
export interface WaitDescription {
  address: string;
  subject?: string | RegExp;
  from?: string | RegExp;
  to?: string;
  since?: string | Date;
}

/** No matching message arrived before `waitForMessage`'s timeout. */
export class EphemailTimeoutError extends EphemailError {
  override readonly name: string = 'EphemailTimeoutError';

  constructor(
    /** The inbox and filters that were waited for. */
    readonly waitedFor: WaitDescription,
    /** The timeout, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    const detail = `No message ${describeFilters(waitedFor)}arrived in ${waitedFor.address} within ${formatMs(timeoutMs)}.`;
    super(detail, 408, detail, null, 'no_message_yet');
  }
}

function describeFilters({ subject, from, to, since }: WaitDescription): string {
  const parts = [
    subject === undefined ? null : `subject ${describeMatch(subject)}`,
    from === undefined ? null : `from ${describeMatch(from)}`,
    to === undefined ? null : `to containing "${to}"`,
    since === undefined ? null : `after ${since instanceof Date ? since.toISOString() : since}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : `with ${parts.join(', ')} `;
}

function describeMatch(filter: string | RegExp): string {
  return typeof filter === 'string' ? `containing "${filter}"` : `matching ${String(filter)}`;
}

function formatMs(ms: number): string {
  return ms >= 1_000 ? `${Number((ms / 1_000).toFixed(3))} s` : `${ms} ms`;
}
