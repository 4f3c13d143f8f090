/**
 * URL policy for sanitised mail: which links may stay and which resources may
 * load. Decisions are made on the WHATWG URL parser's reading of a URL, which
 * is the one browsers use, so tricks such as `jav&#x09;ascript:` or leading
 * spaces are seen exactly as the browser would see them.
 */

/** What a message may reference as an image, background or CSS url(). */
export interface ResourcePolicy {
  allowRemote: boolean;
  resolveContentId: (contentId: string) => string | null;
}

/** The fate of one resource reference. */
export type ResourceDecision =
  | { action: 'keep'; url: string }
  /** A remote URL the reader has not (yet) allowed; counted so the UI can offer to load it. */
  | { action: 'block-remote' }
  | { action: 'drop' };

const DROP: ResourceDecision = { action: 'drop' };
const BLOCK_REMOTE: ResourceDecision = { action: 'block-remote' };

// Relative input resolved against this base stays on its host unless it was
// protocol-relative ("//host/x"), which a browser sends to another host.
const PROBE_HOST = 'ephemail.invalid';
const PROBE_BASE = `https://${PROBE_HOST}/`;

// Raster formats only: an SVG data URL is a document that can carry script.
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp)[;,]/i;

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Parses an absolute or protocol-relative URL. Relative URLs give null: the
 * document is served from our API, so they would point into it.
 */
function parseAbsolute(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    // Not absolute; it may still be protocol-relative.
  }
  try {
    const url = new URL(raw, PROBE_BASE);
    return url.host === PROBE_HOST ? null : url;
  } catch {
    return null;
  }
}

/** RFC 2392: a cid: URL is the percent-encoded Content-ID without its <>. */
function contentIdOf(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}

/** Decides what an image-like reference (img src, background, CSS url()) becomes. */
export function decideResource(raw: string, policy: ResourcePolicy): ResourceDecision {
  const url = parseAbsolute(raw);
  if (url === null) return DROP;
  switch (url.protocol) {
    case 'cid:': {
      const target = policy.resolveContentId(contentIdOf(url));
      return target === null ? DROP : { action: 'keep', url: target };
    }
    case 'data:':
      return INLINE_IMAGE.test(url.href) ? { action: 'keep', url: url.href } : DROP;
    case 'http:':
    case 'https:':
      return policy.allowRemote ? { action: 'keep', url: url.href } : BLOCK_REMOTE;
    default:
      return DROP;
  }
}

/**
 * The href a link may keep, or null to remove it: web and mail links, plus
 * fragment links so that a message's own table of contents still works.
 */
export function decideLink(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.startsWith('#')) return trimmed;
  const url = parseAbsolute(raw);
  return url !== null && LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}
