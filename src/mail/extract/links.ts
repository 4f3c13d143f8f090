/**
 * Lists the web links of a message and picks the one a reader most likely
 * came for: the verify / confirm / activate / sign-in / magic link, or the
 * reset link of a password-reset mail.
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
  /** Says whether the mail is a password reset; without it, a reset link is never the action. */
  subject?: string;
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

// Stems matched at the start of a word in the anchor text (or the words
// before a plain-text link) in English, German, Russian, Dutch, Spanish and
// French, and anywhere in Chinese, Japanese and Korean, which are not written
// in blank-separated words.
// Verifying, confirming and activating are what such mail is usually for;
// signing in is weaker, since ordinary mail often has a "Log in" link too.
const ACTION_TEXT = stems(
  [
    'verif|confirm|activat|validat|magic link',
    'bestätig|verifizier|aktivier',
    'подтверд|подтвержд|активир|верифиц',
    'bevestig|verifieer|verifiër|activeer|activeren',
    'activar|activa tu',
    'vérifi|valider|activer',
  ],
  // Not the bare 确认 / 確認 / 확인: they also mean "check", as in "check your order".
  '验证|驗證|激活|确认邮箱|確認郵箱|确认注册|确认账户|認証|有効化|アドレスを確認|アドレスの確認|本登録|인증|활성화|이메일 확인|계정 확인|가입 확인',
);
const SIGN_IN_TEXT = stems(
  ['sign[ -]?in|log[ -]?in|log on', 'anmelden|einloggen', 'войти|вход', 'inloggen|aanmelden', 'iniciar sesión|acceder', 'se connecter|me connecter|connexion'],
  '登录|登入|ログイン|로그인',
);
const CJK_RESET = '重置|重设|找回密码|再設定|パスワードをリセット|재설정';
// A reset link is the action of a password-reset mail only: elsewhere it is
// the way out of "if this wasn't you", and a reader who came for a code or a
// confirmation must not be sent there.
const RESET_TEXT = stems(
  [
    'reset|new password',
    'zurücksetzen|neues passwort',
    'сбросить|восстановить|новый пароль',
    'wachtwoord (?:resetten|herstellen|opnieuw)|nieuw wachtwoord',
    'restablecer|nueva contraseña',
    'réinitialiser|nouveau mot de passe',
  ],
  CJK_RESET,
);
const RESET_SUBJECT = stems(
  ['reset|forgot|new password', 'zurücksetz|vergessen|neues passwort', 'сброс|восстановлени', 'herstel|opnieuw instellen|vergeten', 'restablec|olvidaste', 'réinitialis|oublié'],
  CJK_RESET,
);
// Words in a URL's path or query, in the same strengths.
const ACTION_URL = /verif|confirm|activat|activar|activer|aktivier|bevestig|bestaetig|validat|token|magic|otp/i;
const SIGN_IN_URL = /login|log-in|signin|sign-in|sign_in|auth/i;
const RESET_URL = /reset|forgot|recover|restablec|zuruecksetz|reinitialis|wachtwoord-herstel/i;
// Never the action: leaving a list, privacy pages, "view in browser", help,
// "not you? report it" and security alerts' way out, pixels.
const EXCLUDED_TEXT = stems(
  [
    "unsubscribe|opt[ -]?out|preferences|privacy|view (?:this email )?(?:in|online)|help|support|report|not (?:you|me)|wasn't (?:you|me)|was not (?:you|me)|secure your account",
    'abmelden|abbestellen|datenschutz|im browser|hilfe|nicht (?:du|ich|sie)(?!\\p{L})|warst du das nicht|konto schützen',
    'отпис|конфиденциальн|в браузере|помощь|поддержк|пожаловаться|это не я|не вы(?!\\p{L})|не я(?!\\p{L})',
    'afmelden|uitschrijven|online bekijken|hulp|niet (?:jij|ik|u)(?!\\p{L})',
    'darse de baja|cancelar (?:la )?suscripci|privacidad|en el navegador|ayuda|soporte|no (?:fuiste|has sido|eres) tú|no fui yo|avísanos|denunciar',
    "désabonn|désinscri|desinscri|confidentialité|voir en ligne|version en ligne|aide|ce n'était pas (?:moi|vous)|pas vous|signaler",
  ],
  '退订|退訂|取消订阅|隐私|隱私|帮助|幫助|客服|不是我|不是您|不是本人|非本人|举报|舉報|配信停止|購読解除|プライバシー|ヘルプ|お問い合わせ|心当たり|保護する|報告|수신거부|수신 거부|개인정보|도움말|고객센터|본인이 아닌|신고',
);
const EXCLUDED_URL =
  /unsubscribe|optout|opt-out|opt_out|preferences|privacy|pixel|beacon|\/open(?:[/?.]|$)|abmelden|afmelden|desinscri|désinscri|desabonn|baja|webversion|view-?online|not-?me|not-?you|no-fui-yo|report|\/help|support|\/secure/i;

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
  const action = pickAction(unique, RESET_SUBJECT.test(source.subject ?? ''));
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

// A plain-text link is described by the words on its line before it, or on
// the line above when it starts its line ("Confirm your address:\nhttps://…"),
// after the link before it. Not more: "Not you? Tell us." a line above a
// confirmation link says nothing about it.
function textLinks(text: string): RawLink[] {
  const links: RawLink[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(TEXT_URL)) {
    const url = cleanUrl(trimTrailing(match[0]));
    const before = text.slice(Math.max(previousEnd, match.index - TEXT_CONTEXT_CHARS), match.index).trimEnd();
    const label = before.slice(before.lastIndexOf('\n') + 1);
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
function pickAction(links: RawLink[], resetMail: boolean): RawLink | null {
  let best: RawLink | null = null;
  let bestScore = 0;
  for (const link of links) {
    const score = actionScore(link, resetMail);
    if (score >= ACTION_THRESHOLD && score > bestScore) [best, bestScore] = [link, score];
  }
  return best;
}

function actionScore(link: RawLink, resetMail: boolean): number {
  // Only the path and query speak for the link; host names are arbitrary (support.example.com may verify).
  const path = link.url.replace(/^https?:\/\/[^/?#]*/i, '');
  if (EXCLUDED_URL.test(path) || EXCLUDED_TEXT.test(link.label)) return 0;
  const resetText = RESET_TEXT.test(link.label);
  const resetUrl = RESET_URL.test(path);
  if (!resetMail && (resetText || resetUrl)) return 0;
  const textScore = resetText || ACTION_TEXT.test(link.label) ? link.labelWeight : SIGN_IN_TEXT.test(link.label) ? link.labelWeight - 1 : 0;
  const urlScore = resetUrl || ACTION_URL.test(path) ? URL_WEIGHT : SIGN_IN_URL.test(path) ? URL_WEIGHT - 1 : 0;
  return textScore + urlScore;
}

// Stems of the blank-separated languages match at the start of a word; those
// of Chinese, Japanese and Korean anywhere.
function stems(wordStarts: string[], anywhere: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${wordStarts.join('|')})|${anywhere}`, 'iu');
}

function foldBlanks(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
