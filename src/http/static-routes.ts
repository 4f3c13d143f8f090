import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

/**
 * The web inbox: the files of public/ and the page itself for `/` and every
 * `/inbox/...` URL (the page reads the address from the URL).
 *
 * This file sits at src/http in development (tsx) and at dist/http once
 * built, and public/ is a sibling of both src/ and dist/, so the same
 * relative URL finds it either way.
 */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));

/**
 * The QR code library's one ES module, which the page loads when someone asks
 * for the QR code of their inbox: the code is drawn in the browser, so the
 * inbox URL goes to no server. Found the way Node finds the package, so it
 * is served from wherever npm put it.
 */
export const UQR_FILE = fileURLToPath(import.meta.resolve('uqr'));

/**
 * The page's policy: only our own files run and style it; mail content is
 * framed from our API (frame-src 'self') in an iframe that has its own,
 * stricter policy and sandbox.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

// The page, scripts and styles change with every deploy and have no hashed
// names, so the browser keeps them but asks each time (a cheap 304). The icon
// may be a day stale.
const REVALIDATE = 'no-cache';
const ICON_CACHE = 'public, max-age=86400';

export function staticRoutes(): Hono {
  const routes = new Hono();
  // Mounted at '/', so a use('*') here would wrap the API too: these
  // middlewares are attached to the static routes only. The ETag is a hash of
  // the (small) file, so a revalidation costs a 304 and no download.
  const page = serveStatic({ root: PUBLIC_DIR, path: 'index.html' });
  // Deep links (`/inbox/name@domain`) are the same page; it routes on the client.
  for (const path of ['/', '/index.html', '/inbox', '/inbox/*']) routes.get(path, pageHeaders, etag(), page);
  // Named paths only, never a catch-all: a route mounted after this one (under /api or anywhere)
  // must not pass through these middlewares or have public/ searched first.
  const assets = serveStatic({ root: PUBLIC_DIR });
  for (const path of ['/app.js', '/style.css', '/css/*', '/favicon.svg', '/js/*', '/locales/*']) routes.get(path, assetHeaders, etag(), assets);
  // One fixed file of node_modules at one fixed path: nothing of the request names a file, so nothing else there is reachable.
  routes.get('/vendor/uqr.mjs', assetHeaders, etag(), serveStatic({ root: dirname(UQR_FILE), path: basename(UQR_FILE) }));
  return routes;
}

// Headers go on after the file is found (200, or 304 when unchanged), so a miss stays a plain 404 problem.
const served = (status: number) => status === 200 || status === 304;

const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!served(c.res.status)) return;
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', REVALIDATE);
};

const assetHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!served(c.res.status)) return;
  c.header('Cache-Control', c.req.path.endsWith('.svg') ? ICON_CACHE : REVALIDATE);
};
