/**
 * The sentences of the checks on the HTML: images, links, and what major mail
 * clients support. Names from the message (hosts, domains, image sources,
 * features) come quoted.
 */
import { andList, counted, fixed, template } from './sentence.js';

/** The note of a check that read only the start of long HTML. */
export const HTML_NOTE_SENTENCES = {
  'html.partly-read': template(['elements', 'kilobytes'],
    (v) => `(Only the first ${v.elements.toLocaleString('en-US')} elements and ${v.kilobytes} KiB of the HTML were read.)`),
};

/** Images: text beside them, alt text, where they load from. */
export const IMAGE_SENTENCES = {
  'image-text-balance.no-images': fixed('No image stands in for text.'),
  'image-text-balance.enough-text': template(['count'], (v) => `The HTML has enough text beside its ${counted(v.count, 'image')}.`),
  // `characters` of visible text, against `perImage`, the fewest per image that do not warn.
  'image-text-balance.mostly-images': template(['count', 'characters', 'perImage'],
    (v) => `The HTML has ${counted(v.count, 'image')} and only ${counted(v.characters, 'character')} of text (fewer than ${v.perImage} per image); `
      + 'filters cannot read images and distrust mail that is mostly pictures, so say in text what the images say.'),
  'image-alt.ok': fixed('No visible image lacks an alt attribute.'),
  // `src` is where the first of them loads from.
  'image-alt.missing': template(['count', 'src'], (v) => `${counted(v.count, 'image')} ${v.count === 1 ? 'has' : 'have'} no alt attribute (the first: ${v.src}); `
    + 'add alt text that says what each shows, or alt="" for decoration, since blocked images and screen readers show only that.'),
  'remote-images.none': fixed('No image loads from the web.'),
  'remote-images.found': template(['count', 'hosts'], (v) => `${counted(v.count, 'image')} ${v.count === 1 ? 'loads' : 'load'} from ${andList(v.hosts)}; `
    + `most clients show ${v.count === 1 ? 'it' : 'them'} only once the reader allows it, so the message should read well without.`),
};

/** Links: text that shows another domain than the target's, URL shorteners. */
export const LINK_SENTENCES = {
  'link-domain-mismatch.none': fixed('No link shows one domain and goes to another.'),
  'link-domain-mismatch.found': template(['count', 'pairs'],
    (v) => `${counted(v.count, 'link')} ${v.count === 1 ? 'shows' : 'show'} one domain and lead to another, as phishing does: ${andList(v.pairs)}. `
      + 'Link the text to the address it shows, or use words instead of an address as the link text.'),
  'link-domain-mismatch.pair': template(['shown', 'target'], (v) => `${v.shown} goes to ${v.target}`),
  'url-shortener.none': fixed('No link goes through a public URL shortener.'),
  'url-shortener.found': template(['count', 'shorteners'],
    (v) => `Links go through the URL ${v.count === 1 ? 'shortener' : 'shorteners'} ${andList(v.shorteners)}, `
      + 'which spammers use to hide where a link leads and filters distrust; link to the full address on your own domain.'),
};

/** HTML and CSS features major clients do not support (caniemail). */
export const CLIENT_SUPPORT_SENTENCES = {
  'email-client-support.no-html': fixed('The message has no HTML.'),
  'email-client-support.supported': fixed('Major mail clients support every HTML and CSS feature used.'),
  // `features` are the phrases below, the first few of `count`.
  'email-client-support.unsupported': template(['count', 'features'],
    (v) => `${counted(v.count, 'HTML or CSS feature')} used ${v.count === 1 ? 'is' : 'are'} not supported by major mail clients: `
      + `${v.features.items.join('; ')}${v.features.more > 0 ? `; and ${v.features.more} more` : ''}. `
      + 'Give those readers a fallback, or use what caniemail.com lists as supported.'),
  // `clients` name a client and its platforms, as "Gmail (web, Android)".
  'email-client-support.feature': template(['feature', 'clients'], (v) => `${v.feature} in ${andList(v.clients)}`),
  // `reason` is the checker's own error message.
  'email-client-support.unchecked': template(['reason'],
    (v) => `The HTML could not be checked against the caniemail data (the checker stopped with ${v.reason}), so which clients support it is not known.`),
  'email-client-support.partly-checked': template(['kilobytes'], (v) => `(Only the first ${v.kilobytes} KB of the HTML was checked.)`),
};
