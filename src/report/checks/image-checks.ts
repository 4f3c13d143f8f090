/**
 * The image checks: how much text stands beside the images, whether they
 * have alt text, and which load from the web.
 */
import type { ReportCheck } from '../report.js';
import { cutNote, type HtmlFacts } from './html-facts.js';
import { finding } from '../penalties.js';
import { counted, listed, quoted } from './wording.js';

// Characters of visible text per image below which mail reads as "mostly
// images". Lower than the 500 often quoted, so that a logo above a short
// sign-in or receipt mail (a few hundred characters) is not called out.
const TEXT_CHARACTERS_PER_IMAGE = 200;

/** `image-text-balance`: warns when the HTML is mostly images (tracking pixels and spacers not counted). */
export function imageTextBalance(facts: HtmlFacts): ReportCheck {
  const images = facts.images.filter((image) => !image.tiny).length;
  if (images === 0) return finding('image-text-balance', 'pass', `No image stands in for text.${cutNote(facts)}`);
  if (facts.textCharacters >= images * TEXT_CHARACTERS_PER_IMAGE) {
    return finding('image-text-balance', 'pass', `The HTML has enough text beside its ${counted(images, 'image')}.${cutNote(facts)}`);
  }
  return finding(
    'image-text-balance',
    'warn',
    `The HTML has ${counted(images, 'image')} and only ${counted(facts.textCharacters, 'character')} of text ` +
      `(fewer than ${TEXT_CHARACTERS_PER_IMAGE} per image); filters cannot read images and distrust mail that is mostly pictures, ` +
      `so say in text what the images say.${cutNote(facts)}`,
  );
}

/** `image-alt`: warns about visible images without an alt attribute, counting them. */
export function imageAlt(facts: HtmlFacts): ReportCheck {
  const missing = facts.images.filter((image) => !image.tiny && image.alt === null);
  if (missing.length === 0) return finding('image-alt', 'pass', `No visible image lacks an alt attribute.${cutNote(facts)}`);
  return finding(
    'image-alt',
    'warn',
    `${counted(missing.length, 'image')} ${missing.length === 1 ? 'has' : 'have'} no alt attribute (the first: ${quoted(missing[0]?.src ?? '')}); ` +
      `add alt text that says what each shows, or alt="" for decoration, since blocked images and screen readers show only that.${cutNote(facts)}`,
  );
}

/** `remote-images`: tells (`info`, never charged) how many images load from the web and from where. */
export function remoteImages(facts: HtmlFacts): ReportCheck {
  const hosts = facts.images.map((image) => remoteHost(image.src)).filter((host) => host !== null);
  if (hosts.length === 0) return finding('remote-images', 'pass', `No image loads from the web.${cutNote(facts)}`);
  return finding(
    'remote-images',
    'info',
    `${counted(hosts.length, 'image')} ${hosts.length === 1 ? 'loads' : 'load'} from ${listed([...new Set(hosts)].map((host) => quoted(host)))}; ` +
      `most clients show ${hosts.length === 1 ? 'it' : 'them'} only once the reader allows it, so the message should read well without.${cutNote(facts)}`,
  );
}

// The host an image loads from, for http(s) and protocol-relative URLs; null
// for cid: (attached), data: and anything that does not parse.
function remoteHost(src: string): string | null {
  const url = src.trim().replace(/^\/\//, 'https://');
  return /^https?:/i.test(url) && URL.canParse(url) ? new URL(url).hostname : null;
}
