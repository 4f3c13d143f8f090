import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiProblemBody } from '../api/types.js';
import type { ApiAnswer } from './in-process-api.js';

/**
 * A tool's answer from what the API answered: a refusal becomes a tool
 * error, anything else `view` of the JSON, as structured content and, for
 * clients that read only text, the same serialised as text.
 */
export function toolAnswer<T>(answer: ApiAnswer, view: (body: T) => Record<string, unknown>): CallToolResult {
  if (answer.status >= 400) return toolError(answer);
  const structured = view(answer.body as T);
  return { structuredContent: structured, content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }] };
}

/**
 * The API's refusal as a tool error with its sentence and code, so an agent
 * reads the same words a script would; never a thrown error, which clients
 * show as a crash of the tool.
 */
function toolError(answer: ApiAnswer): CallToolResult {
  const problem = answer.body as Partial<ApiProblemBody> | null;
  // Only a request whose client went away (499) has no problem document, and nobody reads its answer.
  const detail = problem?.detail ?? `The server answered ${answer.status} without saying why.`;
  const code = problem?.code ?? 'http_error';
  return { isError: true, content: [{ type: 'text', text: `${detail} (code ${code}, status ${answer.status})` }] };
}
