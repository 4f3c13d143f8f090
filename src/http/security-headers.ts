/**
 * Headers every response carries, whether the app wrote it or the server
 * answered outside it (a refused connection or handshake). The address is
 * the only key to an inbox, so no URL of ours may travel in a Referer; and a
 * response without a policy of its own (JSON, problems, files) loads and
 * frames nothing. A route that sets its own policy replaces this one.
 */
export const BASE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};
