import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { StoreUnavailableError } from '../store/store.js';
import { CancelledError } from '../runtime/cancellation.js';
import { WorkersBusyError } from '../worker/job-queue.js';
import type { AddressReason } from '../mail/address/reasons.js';
import type { ApiProblemBody, ProblemCode } from './api/types.js';

/** What a problem may carry besides its sentence. */
export interface ProblemOptions {
  /** The stable machine-readable kind (see `problemCodeSchema`). */
  code: ProblemCode;
  headers?: Record<string, string>;
  /** For a refused address, name or domain: the rule's reason, whose `text` is the `detail`; sent as `reasonCode` and `reasonValues`. */
  reason?: AddressReason;
}

/**
 * The one error type of the HTTP side. Routes and request validation throw
 * it; `problemResponse` turns it, and anything else, into an RFC 9457
 * problem document.
 */
export class ApiProblem extends Error {
  readonly code: ProblemCode;
  readonly headers: Record<string, string>;
  readonly reason: AddressReason | null;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    /** A sentence a person understands: what went wrong and what to do. */
    readonly detail: string,
    options: ProblemOptions,
  ) {
    super(detail);
    this.code = options.code;
    this.headers = options.headers ?? {};
    this.reason = options.reason ?? null;
  }
}

// A queued read takes milliseconds, a second for the biggest HTML; the queue empties within seconds.
const BUSY_RETRY_AFTER_SECONDS = 5;
// nginx's status for a request whose client closed the connection first; only logs would ever see it.
const CLIENT_CLOSED_REQUEST = 499;

/** The media type of a problem document. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes a problem document. */
export function problemJson(c: Context, problem: ApiProblem): Response {
  return c.body(problemDocument(problem), problem.status, { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE });
}

/** A problem as its JSON document, for answers written outside the hono app too. */
export function problemDocument(problem: ApiProblem): string {
  const body: ApiProblemBody = { type: 'about:blank', title: problem.title, status: problem.status, code: problem.code, detail: problem.detail };
  if (problem.reason !== null) {
    body.reasonCode = problem.reason.code;
    body.reasonValues = problem.reason.values;
  }
  return JSON.stringify(body);
}

/** The app's error handler: known problems as they are, anything else as a 500 that reveals nothing. */
export function problemResponse(error: unknown, c: Context, onUnexpected: (error: unknown) => void): Response {
  if (error instanceof ApiProblem) return problemJson(c, error);
  // The store's message says what is wrong (Redis unreachable, shutting down); it is safe to show and worth retrying.
  if (error instanceof StoreUnavailableError) {
    return problemJson(c, new ApiProblem(503, 'Service Unavailable', `${error.message} Please try again shortly.`, { code: 'store_unavailable', headers: { 'retry-after': '5' } }));
  }
  // The parse workers' queue for this kind of job is full: come back rather than wait behind it.
  if (error instanceof WorkersBusyError) {
    return problemJson(c, new ApiProblem(503, 'Service Unavailable', `The server has as many messages waiting to be read as it will queue; try again in ${BUSY_RETRY_AFTER_SECONDS} seconds.`, {
      code: 'server_busy', headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
    }));
  }
  // The client hung up while its request waited (for a parse worker): nobody reads this answer, and nothing went wrong.
  if (error instanceof CancelledError) return new Response(null, { status: CLIENT_CLOSED_REQUEST });
  if (error instanceof HTTPException) {
    const title = statusTitle(error.status);
    return problemJson(c, new ApiProblem(error.status as ContentfulStatusCode, title, error.message || title, { code: error.status === 413 ? 'payload_too_large' : 'http_error' }));
  }
  onUnexpected(error);
  return problemJson(c, new ApiProblem(500, 'Internal Server Error', 'Something went wrong on the server; the error was logged. Please try again.', { code: 'internal_error' }));
}

function statusTitle(status: number): string {
  return status === 413 ? 'Payload Too Large' : status === 400 ? 'Bad Request' : 'Error';
}
