import type { IncomingMessage } from 'node:http';

/** The path a request asks for, without its query, as Node received it (before hono routes it). */
export function pathOf(request: IncomingMessage): string {
  return (request.url ?? '').split('?', 1)[0] ?? '';
}
