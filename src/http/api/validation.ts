import { OpenAPIHono, z, type Hook } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import { ApiProblem } from '../problem.js';

type Shape = Record<string, z.ZodType>;

/**
 * The query of a route: exactly the parameters in `shape`. Any other name is
 * refused rather than ignored, since a misspelt filter (`subjet=`) would
 * otherwise answer with some unrelated message; the refusal names the
 * parameters the route takes.
 */
export function queryOf<T extends Shape>(shape: T) {
  const names = Object.keys(shape);
  const takes = names.length === 0 ? 'this route takes no query parameters' : `this route takes ${names.join(', ')}`;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys'
      ? `Unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}; ${takes}.`
      : undefined),
  });
}

/** The query of a route that takes none. */
export const noQuery = queryOf({});

/**
 * A failed validation as the problem it is. Every schema words its own
 * messages (`limit must be a whole number…`), so the first issue's message
 * is the detail; the title and code say which part of the request it was.
 */
export function invalidRequest(error: z.ZodError, target: string): ApiProblem {
  const issue = error.issues[0];
  const name = String(issue?.path[0] ?? '');
  const message = issue?.message ?? 'The request is malformed.';
  if (target === 'query') {
    if (issue?.code === 'unrecognized_keys') return new ApiProblem(400, 'Unknown parameter', message, { code: 'unknown_parameter' });
    // A query value is text, so the only value of the wrong type is a parameter given twice (a list).
    const detail = issue?.code === 'invalid_type' ? `${name} is given more than once; give it once.` : message;
    return new ApiProblem(400, `Invalid ${name}`, detail, { code: 'invalid_parameter' });
  }
  if (target === 'json') {
    if (issue?.code === 'unrecognized_keys') return new ApiProblem(400, 'Unknown field', message, { code: 'unknown_field' });
    return new ApiProblem(400, 'Invalid body', message, { code: 'invalid_body' });
  }
  return new ApiProblem(400, 'Bad Request', `The ${target} is malformed: ${message}`, { code: 'invalid_parameter' });
}

// Thrown, not answered: the app's error handler (app.ts) writes every problem, these included.
const rejectInvalid: Hook<unknown, BlankEnv, string, undefined> = (result) => {
  if (!result.success) throw invalidRequest(result.error, result.target);
  return undefined;
};

/** A router whose routes refuse requests that do not fit their definition with a 400 problem. */
export function apiRouter(): OpenAPIHono<BlankEnv> {
  return new OpenAPIHono<BlankEnv>({ defaultHook: rejectInvalid });
}
