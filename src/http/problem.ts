import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { StoreUnavailableError } from '../store/store.js';

/**
 * The one error type of the HTTP side. Routes throw it; `problemResponse`
 * turns it, and anything else, into an RFC 9457 problem document.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    /** A sentence a person understands: what went wrong and what to do. */
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** Body of every error response, `application/problem+json`. */
export interface ProblemBody {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
}

/** Writes a problem document. */
export function problemJson(c: Context, problem: ApiProblem): Response {
  const body: ProblemBody = { type: 'about:blank', title: problem.title, status: problem.status, detail: problem.detail };
  return c.body(JSON.stringify(body), problem.status, { ...problem.headers, 'content-type': 'application/problem+json' });
}

/** The app's error handler: known problems as they are, anything else as a 500 that reveals nothing. */
export function problemResponse(error: unknown, c: Context, onUnexpected: (error: unknown) => void): Response {
  if (error instanceof ApiProblem) return problemJson(c, error);
  // The store's message says what is wrong (Redis unreachable, shutting down); it is safe to show and worth retrying.
  if (error instanceof StoreUnavailableError) {
    return problemJson(c, new ApiProblem(503, 'Service Unavailable', `${error.message} Please try again shortly.`, { 'retry-after': '5' }));
  }
  if (error instanceof HTTPException) {
    return problemJson(c, new ApiProblem(error.status as ContentfulStatusCode, statusTitle(error.status), error.message || statusTitle(error.status)));
  }
  onUnexpected(error);
  return problemJson(c, new ApiProblem(500, 'Internal Server Error', 'Something went wrong on the server; the error was logged. Please try again.'));
}

function statusTitle(status: number): string {
  return status === 413 ? 'Payload Too Large' : status === 400 ? 'Bad Request' : 'Error';
}
