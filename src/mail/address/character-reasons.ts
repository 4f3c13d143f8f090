import { addressReason, type AddressReason } from './reasons.js';

const INVISIBLE_CHAR = /^[\p{C}\p{Z}\s]$/u;
const MARK = /^\p{M}$/u;
const VISIBLE_ASCII = /^[\x21-\x7e]$/;
const LATIN_SCRIPT = /^\p{Script=Latn}$/u;

// The scripts of the languages people most often write names in, by ISO 15924 code, which
// Intl.DisplayNames turns into a script's name in any language. A letter of another script
// is refused as a character like any other.
const SCRIPTS = [
  'Cyrl', 'Grek', 'Armn', 'Geor', 'Hebr', 'Arab', 'Syrc', 'Thaa', 'Deva', 'Beng', 'Guru', 'Gujr', 'Orya', 'Taml',
  'Telu', 'Knda', 'Mlym', 'Sinh', 'Thai', 'Laoo', 'Tibt', 'Mymr', 'Khmr', 'Mong', 'Ethi', 'Cher', 'Cans', 'Tfng',
  'Hang', 'Hira', 'Kana', 'Bopo', 'Hani', 'Yiii', 'Vaii', 'Nkoo',
].map((code) => ({ code, pattern: new RegExp(`^\\p{Script=${code}}$`, 'u') }));

/** How a refused character can be named: what a person sees of it. */
type Seen =
  | { kind: 'mark' | 'invisible'; values: { codePoint: string } }
  | { kind: 'lookalike'; values: { character: string; codePoint: string; lookalikeOf: string } }
  | { kind: 'visible'; values: { character: string } };

/** True for a character a person cannot see: a control, a format character, a space or a blank. */
export function isInvisible(char: string): boolean {
  return INVISIBLE_CHAR.test(char);
}

/** The Unicode code point of `char` in U+XXXX notation. */
export function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `char` may not be in a local part: Latin letters only without
 * SMTPUTF8 (a non-Latin letter names its script), any letter with it.
 */
export function nameCharacterReason(char: string, smtpUtf8: boolean): AddressReason {
  const seen = seenAs(char);
  if (smtpUtf8) {
    if (seen.kind === 'visible') return addressReason('name_forbidden_character_utf8', seen.values);
    if (seen.kind === 'lookalike') return addressReason('name_lookalike_utf8', seen.values);
    return addressReason(seen.kind === 'mark' ? 'name_combining_mark_utf8' : 'name_invisible_character_utf8', seen.values);
  }
  if (seen.kind === 'visible') return visibleLatinOnly(seen.values.character);
  if (seen.kind === 'lookalike') return addressReason('name_lookalike', seen.values);
  return addressReason(seen.kind === 'mark' ? 'name_combining_mark' : 'name_invisible_character', seen.values);
}

/**
 * Why `char` may not be in a domain. Only ASCII and invisible characters get
 * here (IDNA takes the rest), so it is either seen as itself or invisible.
 */
export function domainCharacterReason(char: string): AddressReason {
  if (INVISIBLE_CHAR.test(char)) return addressReason('domain_invisible_character', { codePoint: codePoint(char) });
  return addressReason('domain_forbidden_character', { character: char });
}

function seenAs(char: string): Seen {
  if (MARK.test(char)) return { kind: 'mark', values: { codePoint: codePoint(char) } };
  if (INVISIBLE_CHAR.test(char)) return { kind: 'invisible', values: { codePoint: codePoint(char) } };
  const lookalikeOf = char.normalize('NFKC');
  // A full-width 'Ａ' or the Kelvin sign looks like plain ASCII, so refusing it needs the code point to make sense.
  if (char.charCodeAt(0) >= 0x80 && VISIBLE_ASCII.test(lookalikeOf)) {
    return { kind: 'lookalike', values: { character: char, codePoint: codePoint(char), lookalikeOf } };
  }
  return { kind: 'visible', values: { character: char } };
}

function visibleLatinOnly(character: string): AddressReason {
  if (LATIN_SCRIPT.test(character)) return addressReason('name_extended_latin', { character });
  const script = SCRIPTS.find(({ pattern }) => pattern.test(character));
  if (script !== undefined) return addressReason('name_non_latin', { character, script: script.code });
  return addressReason('name_forbidden_character', { character });
}
