import type { BrowserContext, Frame, Page, Request } from 'playwright-core';

/**
 * Watches a browser context for everything a hostile message must never make
 * the web inbox do, and attributes each sighting to the carrier open at the
 * time. Every request leaving for another host is recorded and aborted, so
 * the assertion is that none was even attempted (evil.example is never
 * reached, and a real DNS lookup never slows the run).
 */

/**
 * What may leave for another host once the reader pressed "Load remote
 * images": exactly what the ?remote=1 document's CSP opens up (img-src,
 * style-src and font-src). CSS background images load as 'image'. A
 * document, script, fetch, XHR, WebSocket, media or beacon elsewhere is a
 * leak even after the opt-in.
 */
export const OPT_IN_TYPES: ReadonlySet<string> = new Set(['image', 'stylesheet', 'font']);

/** The only frame whose loads count as opted in: the message document fetched with remote=1. */
const REMOTE_DOCUMENT = /^\/api\/inboxes\/[^/]+\/messages\/[^/]+\/html\?remote=1$/;

/** Console text Chromium prints when script in a sandboxed frame calls a dialog: proof that script ran. */
const SCRIPT_RAN = /Ignored call to '(alert|confirm|prompt|print)\(\)'/;

/**
 * Console text printed when the sandbox or a CSP, not the sanitiser, stopped
 * something (script, a load, a base URL, a redirect, a form): the sanitised
 * document should never give either a reason to speak.
 */
const ONLY_THE_BACKSTOP_HELD = /Blocked script execution|Refused to |Blocked form submission|Not allowed to /;

export interface SeenRequest {
  carrier: string;
  url: string;
  type: string;
  method: string;
  frameUrl: string;
}

export interface HostileWatch {
  /** From now on, attribute what happens to this carrier. */
  begin(carrier: string): void;
  /** Everything that went wrong while `carrier` was open. */
  problems(carrier: string): string[];
  /** Off-host requests made after the opt-in, per carrier (aborted like the rest). */
  optedIn(carrier: string): SeenRequest[];
}

function frameUrlOf(request: Request): string {
  try {
    return request.frame().url();
  } catch {
    // Service-worker requests belong to no frame.
    return '(no frame)';
  }
}

/** Not network traffic at all: these never leave the browser. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export async function watchHostile(context: BrowserContext, page: Page, origin: string): Promise<HostileWatch> {
  const host = new URL(origin).host;
  let current = '(before any carrier)';
  const problems: Array<{ carrier: string; problem: string }> = [];
  const opted: SeenRequest[] = [];
  const flag = (problem: string) => problems.push({ carrier: current, problem });
  const offHost = (url: string) => {
    const parsed = new URL(url);
    return !LOCAL_SCHEMES.has(parsed.protocol) && parsed.host !== host;
  };

  // Page and context listeners overlap; each request is judged once.
  const judged = new WeakSet<Request>();
  const onRequest = (request: Request) => {
    if (judged.has(request)) return;
    judged.add(request);
    if (!offHost(request.url())) return;
    const seen = { carrier: current, url: request.url(), type: request.resourceType(), method: request.method(), frameUrl: frameUrlOf(request) };
    const fromRemoteDocument = seen.frameUrl.startsWith(origin) && REMOTE_DOCUMENT.test(seen.frameUrl.slice(origin.length));
    if (fromRemoteDocument && OPT_IN_TYPES.has(seen.type) && seen.method === 'GET') opted.push(seen);
    else flag(`request to another host: ${seen.type} ${seen.method} ${seen.url} from ${seen.frameUrl}`);
  };
  page.on('request', onRequest);
  context.on('request', onRequest);
  // Context-wide, so popups and service workers are covered as well as the page's frames.
  await context.route('**/*', (route) => (offHost(route.request().url()) ? route.abort('blockedbyclient') : route.continue()));

  page.on('websocket', (socket) => {
    if (offHost(socket.url().replace(/^ws/, 'http'))) flag(`WebSocket to another host: ${socket.url()}`);
  });
  page.on('dialog', (dialog) => {
    flag(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => flag(`uncaught error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    const where = message.location().url || '(unknown)';
    if (SCRIPT_RAN.test(text)) flag(`script ran in ${where}: ${text}`);
    else if (ONLY_THE_BACKSTOP_HELD.test(text)) flag(`the sanitiser let something through; only the browser stopped it (${where}): ${text}`);
  });
  page.on('framenavigated', (frame: Frame) => {
    if (frame !== page.mainFrame()) return;
    const url = new URL(frame.url());
    // The hash is the page's own state and may change; the document may not.
    if (url.origin !== origin || url.pathname !== '/') flag(`the page navigated to ${frame.url()}`);
  });
  context.on('page', (popup) => flag(`a new page opened: ${popup.url()}`));
  context.on('serviceworker', (worker) => flag(`a service worker started: ${worker.url()}`));

  return {
    begin(carrier) {
      current = carrier;
    },
    problems: (carrier) => problems.filter((each) => each.carrier === carrier).map((each) => each.problem),
    optedIn: (carrier) => opted.filter((each) => each.carrier === carrier),
  };
}

/**
 * Own properties of the top window, to find any global a payload set (pwned,
 * or anything else). Indices are left out: window[0] is the message iframe,
 * whose count is checked on its own.
 */
export function windowGlobals(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.getOwnPropertyNames(window).filter((name) => !/^\d+$/.test(name)));
}

/** Elements or attributes in the top document that only markup from a message could have put there. */
export function foreignMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const view = document.getElementById('message-view');
    const list = document.getElementById('message-list');
    for (const root of [view, list]) {
      for (const element of root?.querySelectorAll('script, img, iframe:not(.message-frame), object, embed, form, base, meta, style, link') ?? []) {
        found.push(`<${element.localName}> in #${root?.id}`);
      }
    }
    // The page's own icon, badged for unread mail, is a data: SVG drawn by chrome.js; nothing of a message reaches <head>.
    const ownIcon = document.head.querySelector('link[rel="icon"]');
    for (const element of document.querySelectorAll('*')) {
      if (element === ownIcon) continue;
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) found.push(`${attribute.name} on <${element.localName}>`);
        if (/^\s*(javascript|vbscript|data):/i.test(attribute.value)) found.push(`${attribute.name}="${attribute.value}" on <${element.localName}>`);
      }
    }
    return found;
  });
}

/**
 * What in the message document, as Chromium parsed it, could run, load,
 * submit or re-parse. The server checks its output with its own parser
 * (test/hostile/inert.ts); mXSS lives in the gap between parsers, so this
 * asks the browser's.
 */
export function frameProblems(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const found: string[] = [];
    const active = 'script, iframe, frame, frameset, object, embed, applet, base, form, input, button, textarea, select, link, '
      + 'svg, math, noscript, template, xmp, portal, meta[http-equiv], body style';
    for (const element of document.querySelectorAll(active)) found.push(`<${element.localName}>`);
    // The page's own icon, badged for unread mail, is a data: SVG drawn by chrome.js; nothing of a message reaches <head>.
    const ownIcon = document.head.querySelector('link[rel="icon"]');
    for (const element of document.querySelectorAll('*')) {
      if (element === ownIcon) continue;
      for (const attribute of element.attributes) {
        const plain = attribute.value.replace(/[\s\0]+/g, '').toLowerCase();
        if (/^on/i.test(attribute.name)) found.push(`${attribute.name} on <${element.localName}>`);
        if (/^(javascript|vbscript):|^data:text\/html/.test(plain)) found.push(`${attribute.name}="${attribute.value}" on <${element.localName}>`);
        if (attribute.name === 'style' && /expression\(|javascript:|-moz-binding|behavior:/.test(plain)) found.push(`active CSS on <${element.localName}>`);
      }
    }
    for (const sheet of document.styleSheets) {
      for (const rule of sheet.cssRules) if (rule instanceof CSSImportRule) found.push(`@import ${rule.href}`);
    }
    return found;
  });
}
