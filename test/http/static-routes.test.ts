import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP, PUBLIC_DIR, UQR_FILE } from '../../src/http/static-routes.js';
import { buildTestApp } from '../support/http-app.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function publicFiles(dir = PUBLIC_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (
    entry.isDirectory() ? publicFiles(join(dir, entry.name)) : [join(dir, entry.name)]
  ));
}

describe('the web inbox files', () => {
  const { app } = buildTestApp();

  it('finds public/ from src/http and from dist/http alike', () => {
    expect(PUBLIC_DIR.replace(/\/$/, '')).toBe(join(REPO, 'public'));
    const fromDist = fileURLToPath(new URL('../../public', pathToFileURL(join(REPO, 'dist/http/static-routes.js'))));
    expect(fromDist.replace(/\/$/, '')).toBe(join(REPO, 'public'));
  });

  it.each(['/', '/inbox/abc@ephemail.test', '/inbox/abc%40ephemail.test/some-id'])('serves the page for %s with its policy', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<script type="module" src="/app.js"></script>');
  });

  it('serves scripts as JavaScript, revalidated with a 304', async () => {
    const first = await app.request('/js/api.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    const again = await app.request('/js/api.js', { headers: { 'if-none-match': tag ?? '' } });
    expect(again.status).toBe(304);
  });

  it('serves the QR code library\'s one file as a script, revalidated, and nothing else of node_modules', async () => {
    const first = await app.request('/vendor/uqr.mjs');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(await first.text()).toBe(readFileSync(UQR_FILE, 'utf8'));
    const again = await app.request('/vendor/uqr.mjs', { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    for (const path of ['/vendor/', '/vendor/index.cjs', '/vendor/uqr.mjs/../package.json', '/vendor/%2e%2e/uqr/package.json', '/node_modules/uqr/dist/index.mjs']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
    }
  });

  it('serves every file in public/ (a new one needs its route)', async () => {
    for (const file of publicFiles()) {
      const path = `/${file.slice(PUBLIC_DIR.replace(/\/?$/, '/').length)}`;
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
    }
  });

  it('answers unknown files and API paths with a problem, never the page', async () => {
    for (const path of ['/nope.js', '/api/nothing-here', '/js/../../package.json', '/%2e%2e/package.json']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });

  it('has nothing the page policy would block: no inline script, style or handler', () => {
    const html = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
  });

  it('never parses strings as HTML in the page scripts', () => {
    const scripts = publicFiles().filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(5);
    for (const file of scripts) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function\(/);
    }
  });
});
