/**
 * Every sentence the report can say, in one table joined from the tables by
 * concept: its code is the key, so no sentence can be made without its code
 * and the list of codes (the API's enum, the page's keys) cannot drift.
 */
import { ALIGNMENT_SENTENCES, ARC_SENTENCES, DKIM_SENTENCES, DMARC_SENTENCES, SPF_SENTENCES } from './auth-sentences.js';
import { ATTACHMENT_SENTENCES, BODY_SENTENCES, BULK_SENTENCES, HEADER_SENTENCES } from './check-sentences.js';
import { CLIENT_SUPPORT_SENTENCES, HTML_NOTE_SENTENCES, IMAGE_SENTENCES, LINK_SENTENCES } from './html-sentences.js';
import { template, type EnglishList, type GivenValue, type Sentence, type SentenceValue, type SlotName, type Template } from './sentence.js';
import { DELIVERY_SENTENCES, HOP_SENTENCES } from './timeline-sentences.js';

const MORE = 'list.more';

const TEMPLATES = {
  ...SPF_SENTENCES, ...DKIM_SENTENCES, ...DMARC_SENTENCES, ...ARC_SENTENCES, ...ALIGNMENT_SENTENCES,
  ...HEADER_SENTENCES, ...BODY_SENTENCES, ...ATTACHMENT_SENTENCES, ...BULK_SENTENCES,
  ...HTML_NOTE_SENTENCES, ...IMAGE_SENTENCES, ...LINK_SENTENCES, ...CLIENT_SUPPORT_SENTENCES,
  ...HOP_SENTENCES, ...DELIVERY_SENTENCES,
  // The end of every list cut short, whatever it lists: "and 2 more" (English lists say the "and" themselves).
  [MORE]: template(['count'], (v) => `${v.count} more`),
};

/** The stable code of a sentence, such as `message-id.missing` or `spf.fail`. */
export type SentenceCode = keyof typeof TEMPLATES;

type SlotsOf<C extends SentenceCode> = (typeof TEMPLATES)[C] extends Template<infer N> ? N : never;

/** The values sentence `C` names, by slot. */
export type ValuesOf<C extends SentenceCode> = { [N in SlotsOf<C>]: GivenValue<N> };

/** Every code, in the table's order: the enum the OpenAPI document lists. */
export const SENTENCE_CODES = Object.keys(TEMPLATES) as [SentenceCode, ...SentenceCode[]];

/** The slots of each sentence: the values it is given, and the `{slots}` a translation of it has. */
export const SENTENCE_SLOTS = Object.fromEntries(SENTENCE_CODES.map((code) => [code, TEMPLATES[code].slots])) as Record<SentenceCode, readonly SlotName[]>;

/** The sentence `code`, naming `values` (for the codes that name any). */
export function sentence<C extends SentenceCode>(code: C, ...values: [SlotsOf<C>] extends [never] ? [] : [ValuesOf<C>]): Sentence {
  return { code, values: values[0] ?? {} };
}

/** A list of `items` for a sentence: the first `few`, then how many more there are, if any. */
export function listOf(items: ReadonlyArray<string | Sentence>, few: number): Array<string | Sentence> {
  const rest = items.length - few;
  return rest > 0 ? [...items.slice(0, few), sentence(MORE, { count: rest })] : [...items];
}

/** The sentence in English, as the API's `message` and `explanation` say it. */
export function english(said: Sentence): string {
  const { slots, english: words } = TEMPLATES[said.code] as Template<SlotName>;
  const values = Object.fromEntries(slots.map((slot) => [slot, inEnglish(said.values[slot])]));
  return words(values as Parameters<typeof words>[0]);
}

function inEnglish(value: SentenceValue | undefined): string | number | EnglishList {
  if (value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (!Array.isArray(value)) return english(value);
  const last = value.at(-1);
  const more = typeof last === 'object' && last.code === MORE ? Number(last.values.count) : 0;
  const items = more > 0 ? value.slice(0, -1) : value;
  return { items: items.map((item) => (typeof item === 'string' ? item : english(item))), more };
}
