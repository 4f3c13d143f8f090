/**
 * The link checks: anchors whose text shows one site and whose target is
 * another, and links hidden behind URL shorteners.
 */
import type { FoundLink } from '../../mail/extract/links.js';
import type { ReportCheck } from '../report.js';
import { cutNote, type HtmlAnchor, type HtmlFacts } from './html-facts.js';
import { finding } from '../penalties.js';
import type { Sentence } from '../sentences/sentence.js';
import { listOf, sentence } from '../sentences/sentences.js';
import { quoted } from './wording.js';
import { registrableDomain } from '../domains.js';

// Public shorteners; a brand's own short domain (e.g. nyti.ms) is its business.
const URL_SHORTENERS = new Set([
  'bit.ly', 'bitly.com', 'tinyurl.com', 't.co', 'goo.gl', 'ow.ly', 'is.gd', 'buff.ly', 'cutt.ly', 'rebrand.ly',
  'shorturl.at', 't.ly', 'rb.gy', 'tiny.cc', 'v.gd', 'bl.ink', 'short.io', 'shorte.st', 'adf.ly', 's.id', 'lnkd.in',
]);
// Pairs and shorteners a finding names; it counts the rest.
const LISTED = 3;

// Text a reader takes for an address: an optional scheme, dotted host labels
// ending in a letter-only top-level label, then optionally a path.
const LOOKS_LIKE_ADDRESS = /^(?:https?:\/\/)?((?:[\p{L}\p{N}-]+\.)+\p{L}{2,63})\.?(?::\d+)?(?:[/?#]\S*)?$/iu;

/** `link-domain-mismatch`: fails for anchors whose text shows one registrable domain and whose href goes to another. */
export function linkDomainMismatch(facts: HtmlFacts): ReportCheck {
  // Each pair once, however many links make it.
  const pairs = new Map<string, Sentence>();
  for (const pair of facts.anchors.map(mismatchOf)) {
    if (pair !== null) pairs.set(`${pair.shown}\n${pair.target}`, sentence('link-domain-mismatch.pair', pair));
  }
  if (pairs.size === 0) return finding('link-domain-mismatch', 'pass', sentence('link-domain-mismatch.none'), cutNote(facts));
  const found = { count: pairs.size, pairs: listOf([...pairs.values()], LISTED) };
  return finding('link-domain-mismatch', 'fail', sentence('link-domain-mismatch.found', found), cutNote(facts));
}

// The shown and the target domain, quoted, when the anchor's text reads as an
// address of another registrable domain than its target's; null otherwise.
function mismatchOf(anchor: HtmlAnchor): { shown: string; target: string } | null {
  const shownHost = LOOKS_LIKE_ADDRESS.exec(anchor.text.trim())?.[1];
  const shown = shownHost === undefined ? null : domainOfUrl(`http://${shownHost}`);
  const target = shown === null ? null : domainOfUrl(anchor.href);
  return shown !== null && target !== null && shown !== target ? { shown: quoted(shown), target: quoted(target) } : null;
}

/** `url-shortener`: warns about links through public URL shorteners, naming them. */
export function urlShortener(links: readonly FoundLink[]): ReportCheck {
  const domains = links.map((link) => domainOfUrl(link.url)).filter((domain) => domain !== null);
  const used = new Set(domains.filter((domain) => URL_SHORTENERS.has(domain)));
  if (used.size === 0) return finding('url-shortener', 'pass', sentence('url-shortener.none'));
  const shorteners = listOf([...used].map((domain) => quoted(domain)), LISTED);
  return finding('url-shortener', 'warn', sentence('url-shortener.found', { count: used.size, shorteners }));
}

// The registrable domain of an http(s) URL, or null for other schemes and
// for URLs that do not parse: only web links can mislead this way. The URL
// parser writes international names in punycode, on both sides alike.
function domainOfUrl(href: string): string | null {
  if (!/^\s*https?:/i.test(href) || !URL.canParse(href.trim())) return null;
  return registrableDomain(new URL(href.trim()).hostname);
}
