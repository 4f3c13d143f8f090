/**
 * The words that label verification codes (and the words that say a number is
 * something else), and a scanner that finds them in a text.
 *
 * The scanner is plain code, not a RegExp: one alternation of the phrases
 * (~420 when measured) with the `iu` flags took V8 70–85 ms to compile, and
 * V8 drops compiled RegExp code at every full GC. It finds exactly what that
 * RegExp found: at each position the phrases are tried longest first,
 * phrases start a word unless marked '*', and a found phrase is skipped over
 * whole.
 */
import { charClass, codePointAt, codePointBefore, isBlank, isWordChar, LETTER, NUMBER } from './char-classes.js';

export type Kind = 'strong' | 'medium' | 'weak' | 'negative';

/** How strongly each kind of label says "code"; a negative label says "not a code". */
export const WEIGHT = { strong: 4, medium: 3, weak: 1.5, negative: -1 } as const satisfies Record<Kind, number>;

// Phrases per kind, '|'-separated. A space matches up to 8 blanks or '-' (a
// bound, so long runs of blanks cannot slow matching). '*' lets a phrase end a
// compound ("Anmeldecode"), and marks every Chinese and Japanese phrase, as
// those languages put no blanks between words; '$' makes it end a word. The
// longest phrase at a position wins, so "promo code" is negative although
// "code" is positive.
const KEYWORDS: Record<Kind, readonly string[]> = {
  strong: [
    'verification code|verify code|confirmation code|security code|login code|log in code|sign in code|signin code|authentication code|auth code|access code|one time code|one time password|one time passcode|one time pin|otp$|passcode|two factor|2fa|two step|steam guard|temporary code|launch code|device verification|verification pin|security pin',
    'bestätigungscode|verifizierungscode|sicherheitscode|anmeldecode|einmalcode|einmalpasswort|einmal passwort|freischaltcode|aktivierungscode|zugangscode|prüfcode|authentifizierungscode|tan$|mtan|smstan|sms tan|pushtan',
    'код подтверждения|кода подтверждения|код безопасности|код доступа|код для входа|код верификации|проверочный код|одноразовый код|одноразовый пароль|код авторизации|код активации',
    'verificatiecode|bevestigingscode|beveiligingscode|inlogcode|toegangscode|activatiecode|eenmalige code|eenmalig wachtwoord|sms code',
    'código de verificación|codigo de verificacion|código de confirmación|codigo de confirmacion|código de seguridad|código de acceso|código de un solo uso|código de activación|clave de un solo uso|contraseña de un solo uso',
    "code de vérification|code de verification|code de confirmation|code de sécurité|code d'accès|code d’accès|code de connexion|code à usage unique|mot de passe à usage unique|code d'activation|code d’activation|code de validation|code temporaire",
    '*验证码|*驗證碼|*校验码|*校驗碼|*确认码|*確認碼|*认证码|*認證碼|*动态码|*動態碼|*动态密码|*動態密碼|*安全码|*安全碼|*登录码|*激活码|*一次性密码',
    '*確認コード|*認証コード|*認証番号|*ワンタイムパスワード|*ワンタイムコード|*セキュリティコード|*ログインコード|*検証コード|*パスコード',
    '인증 코드|인증코드|인증번호|인증 번호|확인 코드|확인코드|보안 코드|보안코드|일회용 비밀번호',
  ],
  medium: ['*code|pin$|pin code|код|código|codigo|password|passwort|пароль|wachtwoord|contraseña|mot de passe|clave$|*密码|*密碼|*コード|*パスワード|코드|비밀번호'],
  weak: [
    'verify|verification|confirm|enter|sign in|log in|login|token|use this|use the following',
    'bestätig|verifizier|eingeben|geben sie|anmeld|подтвер|верифик|введите|вход|войти|bevestig|verifieer|verificatie|voer|inloggen',
    'verificación|verificacion|confirmar|confirmación|introduce|ingresa|ingrese|iniciar sesión|vérification|confirmer|saisissez|saisir|entrez|connexion',
    '*验证|*驗證|*输入|*輸入|*認証|*入力|인증|입력',
  ],
  negative: [
    'order|invoice|receipt|ticket|booking|reservation|confirmation number|reference|ref$|pnr$|tracking|track|shipment|parcel|package|consignment|waybill|item|sku$|model|serial|account number|customer number|customer id|member id|membership|case number|transaction id|amount|total|subtotal|price|tax|vat$|qty|quantity|phone|tel$|telephone|fax$|call|mobile|whatsapp|street|st.|avenue|suite|room|floor|zip|postal code|postcode|po box|p.o. box|flight|seat|gate|version|build|release|year|id$|no.|nr.|#|№|n°|nº|card|ending in|authorization code|approval code|iban|bic$|promo|promo code|promotional code|discount code|coupon|coupon code|voucher|voucher code|gift card|gift code|referral|referral code|offer code|area code|country code|source code|dress code|qr code|barcode|meeting id|webinar id|apartment|apt$|copyright|since',
    'bestell|auftrag|rechnung|quittung|beleg|sendung|paket|lieferung|kundennummer|kunden nr|vertrag|mitgliedsnummer|telefon|tel.|handy|mobil|*straße|*strasse|str.|postleitzahl|plz$|postfach|betrag|summe|preis|gesamt|mwst|ust$|artikel|buchung|vorgang|fahrkarte|gutschein|gutscheincode|rabatt|rabattcode|aktionscode|promocode|kontonummer|karte|datum|uhr$|jahr|flug|gleis',
    'заказ|счёт|счет|накладн|трек|отслежив|посылк|отправлени|доставк|телефон|тел.|тел$|факс|индекс|сумма|итого|цена|стоимость|руб|артикул|бронировани|билет|рейс|договор|инн$|огрн|кпп$|бик$|квартир|кв.|улиц|ул.|дом$|д.|офис|промокод|скидк|купон|год$|года$|г.|версия|карт',
    'bestelling|bestelnummer|ordernummer|factuur|bon$|zending|pakket|track & trace|track en trace|trackingnummer|verzend|bezorg|telefoon|bel ons|bel$|postbus|bedrag|totaal|prijs|btw$|klantnummer|boeking|reservering|*straat|kortingscode|actiecode|kadocode|korting|cadeaubon|rekeningnummer|kenmerk|versie|jaar',
    'pedido|factura|recibo|envío|envio|seguimiento|paquete|teléfono|telefono|llame|llámanos|código postal|codigo postal|importe|precio|iva$|cliente|reserva|billete|vuelo|calle|avenida|cupón|cupon|descuento|código promocional|código de descuento|código de cupón|localizador|referencia|n.º|versión|año$',
    'commande|facture|reçu|colis|suivi|livraison|envoi|expédition|téléphone|tél|appelez|code postal|montant|prix|tva$|client|réservation|billet|vol$|rue$|cedex|code promo|code de réduction|réduction|remise|référence|dossier|année',
    '*订单|*訂單|*单号|*單號|*运单|*快递|*电话|*電話|*热线|*客服|*金额|*金額|*价格|*合计|*总计|*发票|*邮编|*地址|*优惠码|*优惠券|*兑换码|*会员|*账号|*卡号|*尾号',
    '*注文|*金額|*合計|*価格|*料金|*郵便番号|*〒|*請求|*予約|*会員番号|*クーポン|*追跡番号|*お問い合わせ番号|*問い合わせ番号|*伝票番号|*口座番号|*カスタマーセンター',
    '주문|전화|금액|합계|가격|우편번호|쿠폰|예약|운송장|송장|계좌|고객센터|결제|배송지',
  ],
};

// ---- Phrases, in a trie of their characters.

interface Phrase {
  /** Place in the order phrases are tried: longest first, compounds last. */
  order: number;
  /** Must not be followed by a letter ('$'). */
  endsWord: boolean;
  weight: number;
}

interface TrieNode {
  /** Lower-case characters of the children, GAP for a space (1–8 blanks or '-'). */
  codes: number[];
  kids: TrieNode[];
  /** Phrases ending here. */
  ends: Phrase[];
}

// The RegExp's case folding matched these to phrase letters, but the label
// they made was then looked up by its lower case and not found: such a match
// hides the text it covers and is no label.
const FOLDED: Readonly<Record<string, string>> = { ſ: 's', ᲀ: 'в', ᲁ: 'д', ᲂ: 'о', ᲃ: 'с', ᲄ: 'т', ᲅ: 'т' };
const FOLDED_ONLY = /[ſᲀ-ᲅ]/;

const MAX_GAP = 8;
const GAP = 32;
const HYPHEN = 45;

// Every phrase, tried at the start of a word; only the '*' compounds inside one.
const AT_WORD_START = trieNode();
const INSIDE_WORD = trieNode();
// The child of each root for a first character, plus one; 0 when no phrase
// starts with it. Most positions are passed over on this alone.
const FIRST_AT_WORD_START = new Uint8Array(0x10000);
const FIRST_INSIDE_WORD = new Uint8Array(0x10000);
{
  const phrases = (Object.keys(KEYWORDS) as Kind[]).flatMap((kind) => KEYWORDS[kind].flatMap((list) => list.split('|')).map((raw) => ({ raw, kind })));
  const byLength = (compound: boolean) => phrases.filter(({ raw }) => raw.startsWith('*') === compound).sort((a, b) => b.raw.length - a.raw.length);
  [...byLength(false), ...byLength(true)].forEach(({ raw, kind }, order) => {
    const chars = raw.replace(/^\*|\$$/g, '').toLowerCase().replace(/[\s-]+/g, ' ');
    const phrase: Phrase = { order, endsWord: raw.endsWith('$'), weight: WEIGHT[kind] };
    for (const root of raw.startsWith('*') ? [AT_WORD_START, INSIDE_WORD] : [AT_WORD_START]) {
      let node = root;
      for (const char of chars.split('')) {
        const code = char.charCodeAt(0);
        let next = childOf(node, code);
        if (!next) {
          next = trieNode();
          node.codes.push(code);
          node.kids.push(next);
        }
        node = next;
      }
      node.ends.push(phrase);
    }
  });
  if (AT_WORD_START.codes.length > 0xff) throw new Error('too many first characters for FIRST_AT_WORD_START');
  AT_WORD_START.codes.forEach((code, index) => (FIRST_AT_WORD_START[code] = index + 1));
  INSIDE_WORD.codes.forEach((code, index) => (FIRST_INSIDE_WORD[code] = index + 1));
}

function trieNode(): TrieNode {
  return { codes: [], kids: [], ends: [] };
}

// Nodes below the roots have a handful of children at most.
function childOf(node: TrieNode, code: number): TrieNode | undefined {
  const { codes } = node;
  for (let index = 0; index < codes.length; index += 1) if (codes[index] === code) return node.kids[index];
  return undefined;
}

/**
 * The labels in one text, found lazily from its start: `scanTo(n)` finds every
 * label starting before n. Labels are kept in order in parallel arrays.
 */
export class Keywords {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** WEIGHT of each label's kind. */
  readonly weights: number[] = [];
  private lower = '';
  private folded = false;
  private next = 0;

  constructor(private readonly text: string) {}

  scanTo(to: number): void {
    const { text } = this;
    const limit = Math.min(to, text.length);
    if (this.next >= limit) return;
    if (this.next === 0) {
      this.folded = FOLDED_ONLY.test(text);
      this.lower = lowerCase(text, this.folded);
    }
    const { lower } = this;
    let position = this.next;
    let inWord = isWordChar(codePointBefore(text, position));
    while (position < limit) {
      const root = inWord ? INSIDE_WORD : AT_WORD_START;
      const slot = (inWord ? FIRST_INSIDE_WORD : FIRST_AT_WORD_START)[lower.charCodeAt(position)] as number;
      const end = slot === 0 ? -1 : this.match(root.kids[slot - 1] as TrieNode, position);
      if (end >= 0) {
        position = end;
        inWord = isWordChar(codePointBefore(text, position));
        continue;
      }
      // The second half of a surrogate pair ends the character the pair is.
      const unit = text.charCodeAt(position);
      position += 1;
      inWord = unit >= 0xdc00 && unit <= 0xdfff ? isWordChar(codePointBefore(text, position)) : (charClass(unit) & (LETTER | NUMBER)) !== 0;
    }
    this.next = position;
  }

  /** Index of the first label starting at or after `from`. */
  firstFrom(from: number): number {
    const { starts } = this;
    let [low, high] = [0, starts.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) < from) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** From `first` on, the index after the last label lying wholly before `to`. */
  endBefore(first: number, to: number): number {
    let end = first;
    while (end < this.ends.length && (this.ends[end] as number) <= to) end += 1;
    return end;
  }

  /** The greatest positive weight among labels [first, end); 0 if none. */
  strongest(first: number, end: number): number {
    let best = 0;
    for (let index = first; index < end; index += 1) best = Math.max(best, this.weights[index] as number);
    return best;
  }

  // Follows the trie from `node`, the child for the character at `start`. Of
  // the phrases found there, the one tried first wins (as in a RegExp
  // alternation), and is recorded; returns its end or -1.
  private match(first: TrieNode, start: number): number {
    const text = this.text;
    const lower = this.lower;
    let node: TrieNode | undefined = first;
    let position = start + 1;
    let best: Phrase | null = null;
    let bestEnd = -1;
    while (node !== undefined) {
      const ends = node.ends;
      for (let index = 0; index < ends.length; index += 1) {
        const phrase = ends[index] as Phrase;
        if (best !== null && best.order < phrase.order) continue;
        if (phrase.endsWord && (charClass(codePointAt(text, position)) & LETTER) !== 0) continue;
        best = phrase;
        bestEnd = position;
      }
      if (position >= text.length) break;
      if (!isGap(text.charCodeAt(position))) {
        node = childOf(node, lower.charCodeAt(position));
        position += 1;
        continue;
      }
      // No phrase character is a blank or '-', so a gap is taken whole, up to its bound.
      node = childOf(node, GAP);
      const gapStart = position;
      while (position - gapStart < MAX_GAP && position < text.length && isGap(text.charCodeAt(position))) position += 1;
    }
    if (best === null) return -1;
    if (this.folded && FOLDED_ONLY.test(text.slice(start, bestEnd))) return bestEnd;
    this.starts.push(start);
    this.ends.push(bestEnd);
    this.weights.push(best.weight);
    return bestEnd;
  }
}

function isGap(code: number): boolean {
  return code === HYPHEN || isBlank(code);
}

// Lower case with every character in its place: the rare character whose
// lower case is longer (as "İ") is left as it is, so it matches nothing.
// Characters that only case folding maps to a phrase's letter ("ſ" to "s")
// are mapped too, since the RegExp matched them; see FOLDED_ONLY.
function lowerCase(text: string, folded: boolean): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length && !folded) return lower;
  let kept = '';
  for (const char of text.split('')) {
    const one = FOLDED[char] ?? char.toLowerCase();
    kept += one.length === 1 ? one : char;
  }
  return kept;
}
