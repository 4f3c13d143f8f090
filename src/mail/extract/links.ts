/**
 * Lists the web links of a message and picks the one a reader most likely
 * came for: the verify / confirm / activate / reset / sign-in / magic link.
 */
import { walkHtml } from '../parse/html-text.js';

/** A link found in a message. */
export interface FoundLink {
  /** As written (entity-decoded when it came from HTML); always http or https. */
  url: string;
  /** The anchor's visible text, blanks folded; null for plain-text links or empty anchors. */
  text: string | null;
  /** True for at most one link per message: the likely action link. */
  action: boolean;
}

/** What `findLinks` reads; `html` is optional and may be null. */
export interface LinkSource {
  text: string;
  html?: string | null;
}

// Links that matter sit near the top; this also bounds hostile input. The
// HTML is capped separately by walkHtml.
const TEXT_SCAN_LIMIT = 100_000;
// How far back words may describe a plain-text link.
const TEXT_CONTEXT_CHARS = 80;

const HTTP_URL = /^https?:\/\/\S/i;
// Ends at blanks and at characters that cannot appear unescaped in a URL.
const TEXT_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Browsers drop these from URLs, and senders wrap long hrefs with them.
const URL_NOISE = /[\t\n\r]/g;
const TRAILING = new Set([...'.,;:!?\'"»›*)]']);

// Stems in the six languages, matched at the start of a word in the anchor
// text (or the words before a plain-text link). Verifying, confirming,
// activating and resetting are what such mail is usually for; signing in is
// weaker, since ordinary mail often has a "Log in" link too.
const ACTION_TEXT = wordStarts([
  'verif|confirm|activat|validat|reset|new password|magic link',
  'bestätig|verifizier|aktivier|zurücksetzen|neues passwort',
  'подтверд|подтвержд|активир|верифиц|сбросить|восстановить|новый пароль',
  'bevestig|verifieer|verifiër|activeer|activeren|wachtwoord (?:resetten|herstellen|opnieuw)|nieuw wachtwoord',
  'activar|activa tu|restablecer|nueva contraseña',
  'vérifi|valider|activer|réinitialiser|nouveau mot de passe',
]);
const SIGN_IN_TEXT = wordStarts([
  'sign[ -]?in|log[ -]?in|log on',
  'anmelden|einloggen',
  'войти|вход',
  'inloggen|aanmelden',
  'iniciar sesión|acceder',
  'se connecter|me connecter|connexion',
]);
// Words in a URL's path or query, in the same two strengths.
const ACTION_URL = /verif|confirm|activat|activar|activer|aktivier|bevestig|bestaetig|validat|token|reset|magic|otp|password|passwort/i;
const SIGN_IN_URL = /login|log-in|signin|sign-in|sign_in|auth/i;
// Never the action: leaving a list, privacy pages, "view in browser", pixels.
const EXCLUDED_TEXT =
  /unsubscribe|opt[ -]?out|preferences|privacy|view (?:this email )?(?:in|online)|abmelden|abbestellen|datenschutz|im browser|afmelden|uitschrijven|online bekijken|отпис|конфиденциальн|в браузере|darse de baja|cancelar (?:la )?suscripci|privacidad|en el navegador|désabonn|désinscri|desinscri|confidentialité|voir en ligne|version en ligne/iu;
const EXCLUDED_URL = /unsubscribe|optout|opt-out|opt_out|preferences|privacy|pixel|beacon|\/open(?:[/?.]|$)|abmelden|afmelden|desinscri|désinscri|desabonn|baja|webversion|view-?online/i;

const TEXT_WEIGHT = 3;
const CONTEXT_WEIGHT = 2;
const URL_WEIGHT = 2;
const ACTION_THRESHOLD = 2;

interface RawLink {
  url: string;
  text: string | null;
  /** Words that describe the link, for judging whether it is the action. */
  label: string;
  labelWeight: number;
}

/**
 * Every http(s) link: those of the HTML's anchors first, then those of the
 * plain text, in order of appearance and each URL once. At most one link is
 * marked as the action link, and none when nothing looks like one.
 */
export function findLinks(source: LinkSource): FoundLink[] {
  const raw = [...(source.html ? htmlLinks(source.html) : []), ...textLinks(source.text.slice(0, TEXT_SCAN_LIMIT))];
  const unique = dedupe(raw);
  const action = pickAction(unique);
  return unique.map((link) => ({ url: link.url, text: link.text, action: link === action }));
}

function htmlLinks(html: string): RawLink[] {
  const links: RawLink[] = [];
  let anchor: { href: string; parts: string[]; alts: string[] } | null = null;
  const finish = (): void => {
    if (!anchor) return;
    const url = cleanUrl(anchor.href);
    const text = foldBlanks(anchor.parts.join('')) || foldBlanks(anchor.alts.join(' ')) || null;
    if (url) links.push({ url, text, label: text ?? '', labelWeight: TEXT_WEIGHT });
    anchor = null;
  };
  walkHtml(html, {
    onOpen: (tag, attribs) => {
      if (tag === 'a') {
        finish(); // an anchor inside an anchor closes the outer one, as browsers do
        anchor = { href: attribs.href ?? '', parts: [], alts: [] };
      } else if (tag === 'img' && anchor && attribs.alt) anchor.alts.push(attribs.alt);
    },
    onClose: (tag) => {
      if (tag === 'a') finish();
    },
    onText: (text) => anchor?.parts.push(text),
  });
  finish();
  return links;
}

// A plain-text link is described by the words between it and the link before
// it, as in "Confirm your address:\nhttps://…".
function textLinks(text: string): RawLink[] {
  const links: RawLink[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(TEXT_URL)) {
    const url = cleanUrl(trimTrailing(match[0]));
    const label = text.slice(Math.max(previousEnd, match.index - TEXT_CONTEXT_CHARS), match.index);
    previousEnd = match.index + match[0].length;
    if (url) links.push({ url, text: null, label, labelWeight: CONTEXT_WEIGHT });
  }
  return links;
}

// The URL when it is a usable http(s) link, else null.
function cleanUrl(href: string): string | null {
  const url = href.replace(URL_NOISE, '').trim();
  return HTTP_URL.test(url) && URL.canParse(url) ? url : null;
}

// Sentence punctuation after a link in prose is not part of it; a closing
// bracket is, when the URL opens one itself (as Wikipedia links do).
function trimTrailing(url: string): string {
  const kept = new Set([url.includes('(') ? ')' : '', url.includes('[') ? ']' : '']);
  let end = url.length;
  while (end > 0 && TRAILING.has(url.charAt(end - 1)) && !kept.has(url.charAt(end - 1))) end -= 1;
  return url.slice(0, end);
}

// First appearance wins the position; a later copy can supply missing anchor text.
function dedupe(links: RawLink[]): RawLink[] {
  const byUrl = new Map<string, RawLink>();
  for (const link of links) {
    const seen = byUrl.get(link.url);
    if (!seen) byUrl.set(link.url, { ...link });
    else if (seen.text === null && link.text !== null) Object.assign(seen, { text: link.text, label: link.label, labelWeight: link.labelWeight });
  }
  return [...byUrl.values()];
}

// The best-scoring link, the first of equals; null when none reaches the threshold.
function pickAction(links: RawLink[]): RawLink | null {
  let best: RawLink | null = null;
  let bestScore = 0;
  for (const link of links) {
    const score = actionScore(link);
    if (score >= ACTION_THRESHOLD && score > bestScore) [best, bestScore] = [link, score];
  }
  return best;
}

function actionScore(link: RawLink): number {
  if (EXCLUDED_URL.test(link.url) || EXCLUDED_TEXT.test(link.label)) return 0;
  // Only the path and query speak for the link; host names are arbitrary.
  const path = link.url.replace(/^https?:\/\/[^/?#]*/i, '');
  const textScore = ACTION_TEXT.test(link.label) ? link.labelWeight : SIGN_IN_TEXT.test(link.label) ? link.labelWeight - 1 : 0;
  const urlScore = ACTION_URL.test(path) ? URL_WEIGHT : SIGN_IN_URL.test(path) ? URL_WEIGHT - 1 : 0;
  return textScore + urlScore;
}

function wordStarts(stems: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${stems.join('|')})`, 'iu');
}

function foldBlanks(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
