/**
 * The image checks: how much text stands beside the images, whether they
 * have alt text, and which load from the web.
 */
import type { ReportCheck } from '../report.js';
import { cutNote, type HtmlFacts } from './html-facts.js';
import { finding } from '../penalties.js';
import { listOf, sentence } from '../sentences/sentences.js';
import { quoted } from './wording.js';

// Characters of visible text per image below which mail reads as "mostly
// images". Lower than the 500 often quoted, so that a logo above a short
// sign-in or receipt mail (a few hundred characters) is not called out.
const TEXT_CHARACTERS_PER_IMAGE = 200;
const LISTED_HOSTS = 3;

/** `image-text-balance`: warns when the HTML is mostly images (tracking pixels and spacers not counted). */
export function imageTextBalance(facts: HtmlFacts): ReportCheck {
  const images = facts.images.filter((image) => !image.tiny).length;
  if (images === 0) return finding('image-text-balance', 'pass', sentence('image-text-balance.no-images'), cutNote(facts));
  if (facts.textCharacters >= images * TEXT_CHARACTERS_PER_IMAGE) {
    return finding('image-text-balance', 'pass', sentence('image-text-balance.enough-text', { count: images }), cutNote(facts));
  }
  const balance = { count: images, characters: facts.textCharacters, perImage: TEXT_CHARACTERS_PER_IMAGE };
  return finding('image-text-balance', 'warn', sentence('image-text-balance.mostly-images', balance), cutNote(facts));
}

/** `image-alt`: warns about visible images without an alt attribute, counting them. */
export function imageAlt(facts: HtmlFacts): ReportCheck {
  const missing = facts.images.filter((image) => !image.tiny && image.alt === null);
  if (missing.length === 0) return finding('image-alt', 'pass', sentence('image-alt.ok'), cutNote(facts));
  return finding('image-alt', 'warn', sentence('image-alt.missing', { count: missing.length, src: quoted(missing[0]?.src ?? '') }), cutNote(facts));
}

/** `remote-images`: tells (`info`, never charged) how many images load from the web and from where. */
export function remoteImages(facts: HtmlFacts): ReportCheck {
  const hosts = facts.images.map((image) => remoteHost(image.src)).filter((host) => host !== null);
  if (hosts.length === 0) return finding('remote-images', 'pass', sentence('remote-images.none'), cutNote(facts));
  const named = listOf([...new Set(hosts)].map((host) => quoted(host)), LISTED_HOSTS);
  return finding('remote-images', 'info', sentence('remote-images.found', { count: hosts.length, hosts: named }), cutNote(facts));
}

// The host an image loads from, for http(s) and protocol-relative URLs; null
// for cid: (attached), data: and anything that does not parse.
function remoteHost(src: string): string | null {
  const url = src.trim().replace(/^\/\//, 'https://');
  return /^https?:/i.test(url) && URL.canParse(url) ? new URL(url).hostname : null;
}
