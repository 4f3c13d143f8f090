/**
 * Finds verification codes (one-time passwords, PINs) so a reader can copy one
 * without opening the mail. Heuristic: candidates shaped like codes are scored
 * by the words that label them, and only likely codes are reported.
 */
import { htmlToText } from './html-text.js';

/** What `findCodes` reads; `html` is optional and may be null. */
export interface CodeSource {
  subject: string;
  text: string;
  html?: string | null;
}

// Codes sit near the top of a message; scanning more only invites hostile input.
const TEXT_SCAN_LIMIT = 100_000;
const MAX_CODES = 5;
const REPORT_THRESHOLD = 2;
// A bare code alone on a line counts for more, the more so in a short message.
const ALONE_ON_LINE = 1.5;
const ALONE_IN_SHORT_MESSAGE = 1;
const SHORT_MESSAGE_CHARS = 400;
// A subject that speaks of a code makes numbers in the body more likely codes.
const SUBJECT_BONUS = 1;

type Kind = 'strong' | 'medium' | 'weak' | 'negative';

const WEIGHT: Record<Exclude<Kind, 'negative'>, number> = { strong: 4, medium: 3, weak: 1.5 };

// Phrases per kind, '|'-separated. A space matches up to 8 blanks or '-' (a
// bound, so long runs of blanks cannot slow matching). '*' lets a phrase end a
// compound ("Anmeldecode"); '$' makes it end a word. The longest phrase at a
// position wins, so "promo code" is negative although "code" is positive.
const KEYWORDS: Record<Kind, readonly string[]> = {
  strong: [
    'verification code|verify code|confirmation code|security code|login code|log in code|sign in code|signin code|authentication code|auth code|access code|one time code|one time password|one time passcode|one time pin|otp$|passcode|two factor|2fa|two step|steam guard|temporary code|launch code|device verification|verification pin|security pin',
    'bestätigungscode|verifizierungscode|sicherheitscode|anmeldecode|einmalcode|einmalpasswort|einmal passwort|freischaltcode|aktivierungscode|zugangscode|prüfcode|authentifizierungscode|tan$|mtan|smstan|sms tan|pushtan',
    'код подтверждения|кода подтверждения|код безопасности|код доступа|код для входа|код верификации|проверочный код|одноразовый код|одноразовый пароль|код авторизации|код активации',
    'verificatiecode|bevestigingscode|beveiligingscode|inlogcode|toegangscode|activatiecode|eenmalige code|eenmalig wachtwoord|sms code',
    'código de verificación|codigo de verificacion|código de confirmación|codigo de confirmacion|código de seguridad|código de acceso|código de un solo uso|código de activación|clave de un solo uso|contraseña de un solo uso',
    "code de vérification|code de verification|code de confirmation|code de sécurité|code d'accès|code d’accès|code de connexion|code à usage unique|mot de passe à usage unique|code d'activation|code d’activation|code de validation|code temporaire",
  ],
  medium: ['*code|pin$|pin code|код|código|codigo|password|passwort|пароль|wachtwoord|contraseña|mot de passe|clave$'],
  weak: [
    'verify|verification|confirm|enter|sign in|log in|login|token|use this|use the following',
    'bestätig|verifizier|eingeben|geben sie|anmeld|подтвер|верифик|введите|вход|войти|bevestig|verifieer|verificatie|voer|inloggen',
    'verificación|verificacion|confirmar|confirmación|introduce|ingresa|ingrese|iniciar sesión|vérification|confirmer|saisissez|saisir|entrez|connexion',
  ],
  negative: [
    'order|invoice|receipt|ticket|booking|reservation|confirmation number|reference|ref$|pnr$|tracking|track|shipment|parcel|package|consignment|waybill|item|sku$|model|serial|account number|customer number|customer id|member id|membership|case number|transaction id|amount|total|subtotal|price|tax|vat$|qty|quantity|phone|tel$|telephone|fax$|call|mobile|whatsapp|street|st.|avenue|suite|room|floor|zip|postal code|postcode|po box|p.o. box|flight|seat|gate|version|build|release|year|id$|no.|nr.|#|№|n°|nº|card|ending in|authorization code|approval code|iban|bic$|promo|promo code|promotional code|discount code|coupon|coupon code|voucher|voucher code|gift card|gift code|referral|referral code|offer code|area code|country code|source code|dress code|qr code|barcode|meeting id|webinar id|apartment|apt$|copyright|since',
    'bestell|auftrag|rechnung|quittung|beleg|sendung|paket|lieferung|kundennummer|kunden nr|vertrag|mitgliedsnummer|telefon|tel.|handy|mobil|*straße|*strasse|str.|postleitzahl|plz$|postfach|betrag|summe|preis|gesamt|mwst|ust$|artikel|buchung|vorgang|fahrkarte|gutschein|gutscheincode|rabatt|rabattcode|aktionscode|promocode|kontonummer|karte|datum|uhr$|jahr|flug|gleis',
    'заказ|счёт|счет|накладн|трек|отслежив|посылк|отправлени|доставк|телефон|тел.|тел$|факс|индекс|сумма|итого|цена|стоимость|руб|артикул|бронировани|билет|рейс|договор|инн$|огрн|кпп$|бик$|квартир|кв.|улиц|ул.|дом$|д.|офис|промокод|скидк|купон|год$|года$|г.|версия|карт',
    'bestelling|bestelnummer|ordernummer|factuur|bon$|zending|pakket|track & trace|track en trace|trackingnummer|verzend|bezorg|telefoon|bel ons|bel$|postbus|bedrag|totaal|prijs|btw$|klantnummer|boeking|reservering|*straat|kortingscode|actiecode|kadocode|korting|cadeaubon|rekeningnummer|kenmerk|versie|jaar',
    'pedido|factura|recibo|envío|envio|seguimiento|paquete|teléfono|telefono|llame|llámanos|código postal|codigo postal|importe|precio|iva$|cliente|reserva|billete|vuelo|calle|avenida|cupón|cupon|descuento|código promocional|código de descuento|código de cupón|localizador|referencia|n.º|versión|año$',
    'commande|facture|reçu|colis|suivi|livraison|envoi|expédition|téléphone|tél|appelez|code postal|montant|prix|tva$|client|réservation|billet|vol$|rue$|cedex|code promo|code de réduction|réduction|remise|référence|dossier|année',
  ],
};

const KINDS = Object.keys(KEYWORDS) as Kind[];
const KEYWORD_KINDS: ReadonlyMap<string, Kind> = new Map(
  KINDS.flatMap((kind) => phrasesOf(kind).map((phrase): [string, Kind] => [normalizeKeyword(phrase), kind])),
);

// One pass finds every keyword: fixed phrases, so matching is linear. Phrases
// that start a word share one look-behind, which keeps compiling cheap.
const KEYWORD_PATTERN = keywordPattern(KINDS.flatMap(phrasesOf));

// Words and numbers, "12.05.2024", "G-582013" or "1,299" kept whole to be judged
// whole. Each repetition starts with a separator: nothing to backtrack over.
const TOKEN = /[\p{L}\p{N}]+(?:[-.,/][\p{L}\p{N}]+)*/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;

// Shapes a code is written in, with how much each shape on its own suggests a code.
const SHAPES: ReadonlyArray<readonly [RegExp, number]> = [
  [/^\d{6}$/, 0.25],
  [/^\d{4}$/, -0.5],
  [/^\d{5,8}$/, 0],
  [/^(?:\d{3}[- ]\d{3}|\d{4}-\d{4})$/, 0],
  [/^[A-Z]{1,4}-\d{4,8}$/, 0.5],
  [/^(?=[A-Z-]*\d)(?=[\d-]*[A-Z])[A-Z0-9]{3,5}-[A-Z0-9]{3,5}$/, 0],
  [/^(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{4,10}$/, -0.5],
];
// Looks like something other than a random code: a year, a date, "SAVE20", "RTX4090".
const UNLIKELY = [/^(?:19|20)\d\d$/, /^(?:19|20)\d\d-(?:19|20)\d\d$/, /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/, /^(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d$/, /^[A-Z]+\d+$/, /^\d+[A-Z]+$/];
const UNLIKELY_PENALTY = 2;

// A code is never glued to these: "#123456", "$1234", "+4930…", "50%", "a=1234", "1234@host".
const REJECT_BEFORE = new Set([...'#№$€£¥₽₹+@=/\\&©®§~^_°']);
const REJECT_AFTER = new Set([...'%‰€$£₽°@+']);
// Nor written next to a currency: "1 299 руб", "EUR 4599".
const CURRENCIES = new Set(['$', '€', '£', '¥', '₽', '₹', '₴', 'usd', 'eur', 'euro', 'euros', 'gbp', 'chf', 'rub', 'руб', 'рублей', 'рубля', 'р', 'inr', 'rs', 'kr', 'sek', 'nok', 'dkk', 'pln', 'zł', 'uah', 'грн', 'dollar', 'dollars', 'cad', 'aud', 'jpy', 'mxn', 'brl']);

// How far a label may be from the code it labels, in characters. Before the
// code, the label must also be in the same sentence.
const LABEL_BEFORE = 120;
const LABEL_AFTER = 40;
const DIRECT_LABEL = 30;
const PREVIOUS_LINE_TAIL = 300;
const PREVIOUS_LINE_FACTOR = 0.8;
const DECORATION = /^[\s*_"'«»„“”()[\]:.!•>-]*$/;

interface Hit { start: number; end: number; kind: Kind }
interface Line { start: number; end: number }
interface Span { start: number; end: number; code: string; shapeScore: number }
interface Context { text: string; hits: Hit[]; lines: Line[]; short: boolean; bonus: number }
interface Scored { code: string; score: number }

/**
 * Verification codes in the subject, text and (when given) the visible text of
 * the HTML, most likely first, each once, at most five, as written ("482-193",
 * "G-582013"). Reads at most the first 100 000 characters of each.
 */
export function findCodes(source: CodeSource): string[] {
  const subjectContext = makeContext(source.subject.slice(0, TEXT_SCAN_LIMIT), 0);
  const bodyBonus = subjectContext.hits.some((hit) => hit.kind === 'strong' || hit.kind === 'medium') ? SUBJECT_BONUS : 0;
  const bodies = [source.text, source.html ? htmlToText(source.html) : ''];
  const contexts = [subjectContext, ...bodies.map((body) => makeContext(body.slice(0, TEXT_SCAN_LIMIT), bodyBonus))];
  return rank(contexts.flatMap(scoreCandidates));
}

function makeContext(raw: string, bonus: number): Context {
  // URLs are blanked (keeping offsets) so that ids inside them are not read as codes.
  const text = raw.replace(URL, (url) => ' '.repeat(url.length));
  const hits = [...text.matchAll(KEYWORD_PATTERN)].flatMap((match): Hit[] => {
    const kind = KEYWORD_KINDS.get(normalizeKeyword(match[0]));
    return kind ? [{ start: match.index, end: match.index + match[0].length, kind }] : [];
  });
  return { text, hits, lines: splitLines(text), short: text.trim().length <= SHORT_MESSAGE_CHARS, bonus };
}

function scoreCandidates(context: Context): Scored[] {
  const scored: Scored[] = [];
  let lineIndex = 0;
  for (const span of candidates(context.text)) {
    while ((context.lines[lineIndex]?.end ?? Infinity) < span.start) lineIndex += 1;
    const score = scoreSpan(context, span, lineIndex);
    if (score >= REPORT_THRESHOLD) scored.push({ code: span.code, score });
  }
  return scored;
}

// Tokens shaped like codes, plus "123 456": two three-digit groups.
function* candidates(text: string): Generator<Span> {
  let previous: { start: number; end: number; token: string } | null = null;
  for (const match of text.matchAll(TOKEN)) {
    const { 0: token, index: start } = match;
    const end = start + token.length;
    if (previous && start === previous.end + 1 && text[previous.end] === ' ' && /^\d{3}$/.test(previous.token) && /^\d{3}$/.test(token)) {
      yield { start: previous.start, end, code: text.slice(previous.start, end), shapeScore: 0 };
    }
    const shapeScore = shapeScoreOf(token);
    if (shapeScore !== null) yield { start, end, code: token, shapeScore };
    previous = { start, end, token };
  }
}

function shapeScoreOf(token: string): number | null {
  const shape = SHAPES.find(([pattern]) => pattern.test(token));
  if (!shape) return null;
  return shape[1] - (UNLIKELY.some((pattern) => pattern.test(token)) ? UNLIKELY_PENALTY : 0);
}

function scoreSpan(context: Context, span: Span, lineIndex: number): number {
  const line = context.lines[lineIndex];
  if (!line || !standsApart(context.text, span)) return -Infinity;
  const label = labelWeight(context, span, lineIndex);
  if (label === null) return -Infinity;
  const alone = isAloneOnLine(context.text, span, line) ? ALONE_ON_LINE + (context.short ? ALONE_IN_SHORT_MESSAGE : 0) : 0;
  return label + alone + context.bonus + span.shapeScore;
}

// False when the candidate is glued to a symbol, a currency or another number,
// as in prices, phone numbers, card numbers and references.
function standsApart(text: string, span: Span): boolean {
  if (REJECT_BEFORE.has(text[span.start - 1] ?? '') || REJECT_AFTER.has(text[span.end] ?? '')) return false;
  const before = text.slice(Math.max(0, span.start - 12), span.start);
  const after = text.slice(span.end, span.end + 12);
  if (/\d[ \t()–-]{0,2}$/.test(before) || /^[ \t)–-]{0,2}\d/.test(after)) return false;
  if (isPostcode(span.code, before, after)) return false;
  const previousWord = /(\S+)[ \t]*$/.exec(before)?.[1] ?? '';
  const nextWord = /^[ \t]*([^\s.,;:!?)]+)/.exec(after)?.[1] ?? '';
  return !CURRENCIES.has(previousWord.toLowerCase()) && !CURRENCIES.has(nextWord.toLowerCase());
}

// "CA 94105" in the US, "1012 LG" in the Netherlands.
function isPostcode(code: string, before: string, after: string): boolean {
  return (/^\d{5}$/.test(code) && /(?:^|\s)[A-Z]{2},?[ \t]$/.test(before)) || (/^\d{4}$/.test(code) && /^ [A-Z]{2}\b/.test(after));
}

// The weight of the label nearest the candidate: on its line before it, else
// after it, else on the lines just above. Null when the nearest label says it
// is something else ("Order number 4711", "4711 is your order number").
function labelWeight(context: Context, span: Span, lineIndex: number): number | null {
  const line = context.lines[lineIndex] as Line;
  const before = hitsIn(context, sentenceStart(context.text, Math.max(line.start, span.start - LABEL_BEFORE), span.start), span.start);
  const nearestBefore = before.at(-1);
  if (nearestBefore?.kind === 'negative' && isDirect(context.text, nearestBefore.end, span.start)) return null;
  const beforeWeight = strongest(before);
  if (beforeWeight > 0) return beforeWeight;
  const after = hitsIn(context, span.end, Math.min(line.end, span.end + LABEL_AFTER));
  if (after[0]?.kind === 'negative' && isDirect(context.text, span.end, after[0].start)) return null;
  const afterWeight = strongest(after);
  if (afterWeight > 0) return afterWeight;
  // Words above introduce a code only when it starts its line.
  return startsLine(context.text, span, line) ? labelAbove(context, lineIndex) : 0;
}

// Where the sentence holding `to` starts, looking back no further than `from`.
// A sentence ends at a stop followed by a capital, so "LAURA G. es 628401" is one.
function sentenceStart(text: string, from: number, to: number): number {
  const last = [...text.slice(from, to).matchAll(/[.!?]\s+(?=\p{Lu})/gu)].at(-1);
  return last ? from + last.index + last[0].length : from;
}

// The first two non-blank lines above. A code-ish word there labels the
// candidate unless an order/ticket word is there and nothing more specific.
function labelAbove(context: Context, lineIndex: number): number | null {
  let seen = 0;
  for (let index = lineIndex - 1; index >= 0 && index >= lineIndex - 4 && seen < 2; index -= 1) {
    const line = context.lines[index] as Line;
    if (context.text.slice(line.start, line.end).trim() === '') continue;
    seen += 1;
    const hits = hitsIn(context, Math.max(line.start, line.end - PREVIOUS_LINE_TAIL), line.end);
    const weight = strongest(hits);
    if (weight >= WEIGHT.medium) return weight * PREVIOUS_LINE_FACTOR;
    if (hits.some((hit) => hit.kind === 'negative')) return null;
    if (weight > 0) return weight * PREVIOUS_LINE_FACTOR;
  }
  return 0;
}

// A label applies directly when it is close and no other number sits between.
function isDirect(text: string, from: number, to: number): boolean {
  return to - from <= DIRECT_LABEL && !/\d/.test(text.slice(from, to));
}

function strongest(hits: Hit[]): number {
  return hits.reduce((best, hit) => (hit.kind === 'negative' ? best : Math.max(best, WEIGHT[hit.kind])), 0);
}

// Hits lying wholly within [from, to); hits are sorted, so a binary search finds the first.
function hitsIn({ hits }: Context, from: number, to: number): Hit[] {
  let [low, high] = [0, hits.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((hits[middle] as Hit).start < from) low = middle + 1;
    else high = middle;
  }
  let end = low;
  while (end < hits.length && (hits[end] as Hit).end <= to) end += 1;
  return hits.slice(low, end);
}

// Nothing but a little decoration ("**483920**", "> 483920.") between the code and the line's edge.
function startsLine(text: string, span: Span, line: Line): boolean {
  return span.start - line.start <= 4 && DECORATION.test(text.slice(line.start, span.start));
}

function isAloneOnLine(text: string, span: Span, line: Line): boolean {
  return startsLine(text, span, line) && line.end - span.end <= 4 && DECORATION.test(text.slice(span.end, line.end));
}

function splitLines(text: string): Line[] {
  let start = 0;
  return text.split('\n').map((part) => {
    const line = { start, end: start + part.length };
    start = line.end + 1;
    return line;
  });
}

// Best score per code, the same code written "482-193" and "482193" counting
// once; ties go to the code seen first (the subject, then the text, then the HTML).
function rank(scored: Scored[]): string[] {
  const best = new Map<string, Scored & { order: number }>();
  scored.forEach((entry, order) => {
    const key = entry.code.replace(/[- ]/g, '');
    const current = best.get(key);
    if (!current || entry.score > current.score) best.set(key, { ...entry, order: current?.order ?? order });
  });
  const ranked = [...best.values()].sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked.slice(0, MAX_CODES).map((entry) => entry.code);
}

function phrasesOf(kind: Kind): string[] {
  return KEYWORDS[kind].flatMap((list) => list.split('|'));
}

function normalizeKeyword(phrase: string): string {
  return phrase.replace(/^\*|\$$/g, '').toLowerCase().replace(/[\s-]+/g, ' ');
}

// Longest first, so that the longest phrase at a position wins.
function keywordPattern(phrases: string[]): RegExp {
  const sources = (compound: boolean): string =>
    phrases.filter((phrase) => phrase.startsWith('*') === compound).sort((a, b) => b.length - a.length).map(keywordSource).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sources(false)})|${sources(true)}`, 'giu');
}

function keywordSource(phrase: string): string {
  const words = normalizeKeyword(phrase).split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return words.join('[\\s-]{1,8}') + (phrase.endsWith('$') ? '(?!\\p{L})' : '');
}
