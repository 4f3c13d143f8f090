/**
 * Headers every response carries, whether the app wrote it or the server
 * answered outside it (a refused connection or handshake). The address is
 * the only key to an inbox, so no URL of ours may travel in a Referer.
 */
export const EVERY_RESPONSE_HEADERS: Readonly<Record<string, string>> = { 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

/** For responses that set no policy of their own (JSON, problems, files): nothing loads, nothing frames. */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The headers of an answer written outside the app, which sets no policy of its own. */
export const ANSWER_HEADERS: Readonly<Record<string, string>> = { ...EVERY_RESPONSE_HEADERS, 'Content-Security-Policy': DEFAULT_CSP };
