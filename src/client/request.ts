import { EphemailError, type EphemailErrorOptions } from './errors.js';

/** Query parameters; undefined ones are left out. */
export type Query = Record<string, string | number | undefined>;

/** What one request may carry. */
export interface RequestOptions {
  query?: Query;
  /** Sent as a JSON body. */
  json?: unknown;
}

/** Sends one request to the API and resolves to a successful response, or throws an `EphemailError`. */
export type Send = (method: 'GET' | 'POST' | 'DELETE', path: string, options?: RequestOptions) => Promise<Response>;

/**
 * A sender bound to one server. `baseUrl` is where the server is reachable
 * (`http://localhost:8080`, or a path prefix behind a proxy); `path` starts
 * with `/api/`.
 */
export function createSend(baseUrl: string, fetchImpl: typeof fetch): Send {
  const base = baseUrl.replace(/\/+$/, '');
  // Fail at construction, not at the first request. "localhost:8080" parses, as a URL of scheme "localhost:".
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) {
    throw new TypeError(`ephemail(): "${baseUrl}" is not an http(s) URL; pass the server's address, such as http://localhost:8080.`);
  }

  return async (method, path, options = {}) => {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const init: RequestInit = { method, headers: { accept: 'application/json, application/problem+json' } };
    if (options.json !== undefined) {
      init.headers = { ...init.headers, 'content-type': 'application/json' };
      init.body = JSON.stringify(options.json);
    }
    const response = await fetchImpl(url, init).catch((error: unknown) => {
      throw error instanceof TypeError ? unreachable(base, error) : error;
    });
    if (!response.ok) throw await errorOf(method, path, response);
    return response;
  };
}

/** The JSON body of a response. */
export async function readJson<T>(response: Response): Promise<T> {
  return await response.json() as T;
}

/**
 * fetch rejects with a bare TypeError ("fetch failed") when no answer comes:
 * refused, unknown host, reset. Say which server could not be reached, and
 * Node's reason for it (on `cause`) when there is one.
 */
function unreachable(base: string, error: TypeError): EphemailError {
  const reason = error.cause instanceof Error ? error.cause.message : error.message;
  const detail = `The Ephemail server at ${base} is not reachable (${reason}); check that it is running and that the URL is right.`;
  return new EphemailError(detail, 0, detail, null, null, { cause: error });
}

async function errorOf(method: string, path: string, response: Response): Promise<EphemailError> {
  const text = await response.text().catch(() => '');
  let title = response.statusText;
  let detail = text.trim().slice(0, 500) || `The server answered ${response.status} without an explanation.`;
  let code: string | null = null;
  const reason: EphemailErrorOptions = {};
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      const problem = JSON.parse(text) as { title?: unknown; detail?: unknown; code?: unknown; reasonCode?: unknown; reasonValues?: unknown };
      if (typeof problem.title === 'string') title = problem.title;
      if (typeof problem.detail === 'string') detail = problem.detail;
      if (typeof problem.code === 'string') code = problem.code;
      if (typeof problem.reasonCode === 'string') reason.reasonCode = problem.reasonCode;
      // The server's own document: an object here is the record its schema describes.
      if (typeof problem.reasonValues === 'object' && problem.reasonValues !== null) reason.reasonValues = problem.reasonValues as EphemailErrorOptions['reasonValues'];
    } catch {
      // Not JSON after all: the text itself is the best explanation there is.
    }
  }
  const retryAfter = /^\d+$/.test(response.headers.get('retry-after') ?? '') ? Number(response.headers.get('retry-after')) : null;
  return new EphemailError(`${method} ${path} failed with ${response.status}${title ? ` ${title}` : ''}: ${detail}`, response.status, detail, retryAfter, code, reason);
}
