// Apart from html.ts, so the routes that send this header do not load
// the sanitiser (sanitize-html) into the main thread: only worker threads run it.

/**
 * The Content-Security-Policy header value served with a message's sanitised
 * HTML document (html.ts). It is the backstop should the sanitiser ever
 * miss something.
 */
export function safeHtmlCsp(options: { allowRemote: boolean }): string {
  const remote = options.allowRemote ? ' https: http:' : '';
  return [
    // Nothing loads unless listed below; with no script-src, no script runs at all.
    "default-src 'none'",
    // 'self' for inline (cid:) attachments served by our API, data: for embedded images.
    `img-src 'self' data:${remote}`,
    // The sanitised <style> and style attributes; remote CSS only once the reader allows it.
    `style-src 'unsafe-inline'${remote}`,
    // Fonts embedded in the author's CSS, or fetched once remote content is allowed.
    `font-src data:${remote}`,
    // No <base> may redirect relative URLs.
    "base-uri 'none'",
    // No form may submit anywhere, even if one slipped through.
    "form-action 'none'",
    // Only the inbox itself may frame the document (no clickjacking).
    "frame-ancestors 'self'",
    // Same sandbox as the iframe, so it holds when the URL is opened directly:
    // links may open new tabs that are not themselves sandboxed. Same origin
    // lets the inbox page measure the document to size its frame; with no
    // allow-scripts nothing in it can use that origin (and the two together
    // would let a script lift its own sandbox: never add allow-scripts).
    'sandbox allow-popups allow-popups-to-escape-sandbox allow-same-origin',
  ].join('; ');
}
