/**
 * The deliverability report's JSON shape (`GET …/messages/{id}/report`): the
 * one definition of its route type, its public TypeScript type and its
 * OpenAPI component. Kept apart from the internal types of src/report/.
 */
import { z } from '@hono/zod-openapi';
import { SENTENCE_CODES } from '../../report/sentences/sentences.js';

const text = (description: string) => z.string().openapi({ description });
const nullableText = (description: string) => z.string().nullable().openapi({ description });
const explanation = text('A sentence: what the result means and, for anything but pass, what to fix.');

/** Which sentence a check's message or a verdict's explanation is: stable, unlike the English. */
const sentenceCodeSchema = z.enum(SENTENCE_CODES).openapi('ApiReportSentenceCode', {
  description: 'Which sentence it is, such as `message-id.missing`, `spf.fail` or `date.before-arrival`: stable, unlike the English, '
    + 'so a page can say it in its own language. Codes of phrases (`list.more`, `timeline.unnamed-host`...) appear only inside values. '
    + 'A later version may add codes.',
});

type ApiSentenceValue = string | number | ApiReportSentence | Array<string | ApiReportSentence>;
/** A sentence or a phrase of the report, as data. */
export interface ApiReportSentence {
  code: z.infer<typeof sentenceCodeSchema>;
  values: Record<string, ApiSentenceValue>;
}

// Phrases nest in values (a list of files, "an unnamed host"), hence the lazy reference.
const sentenceValuesSchema: z.ZodType<Record<string, ApiSentenceValue>> = z.record(z.string(), z.union([
  z.string(), z.number(), z.lazy(() => sentenceSchema), z.array(z.union([z.string(), z.lazy(() => sentenceSchema)])),
])).openapi('ApiReportSentenceValues', {
  description: 'What the sentence names, by slot: quoted text from the message (a header, a file name, a domain), names (domains, IP addresses, hosts), '
    + 'numbers, phrases of their own (`{ code, values }`) and lists of text and phrases, the last of which may be `list.more` (how many were left out). '
    + 'Names mean the same in every sentence: `bytes` is a size in bytes, `seconds` a duration in seconds, `count` the number a plural follows; '
    + '`why` is mailauth\'s comment in parentheses after a space, or empty.',
});

const sentenceSchema: z.ZodType<ApiReportSentence> = z.object({
  code: sentenceCodeSchema,
  values: sentenceValuesSchema,
}).openapi('ApiReportSentence', { description: 'A sentence of the report as its code (ApiReportSentenceCode lists them all) and the values it names.' });

const explained = {
  explanation,
  explanationCode: sentenceCodeSchema,
  explanationValues: sentenceValuesSchema,
};

const authResultSchema = z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']).openapi('ApiAuthResult', {
  description: 'A result in the words of RFC 8601 (Authentication-Results). `policy`: the signature verifies, but its key is one receivers refuse (too short).',
});

const spfSchema = z.object({
  result: authResultSchema,
  domain: nullableText('The domain whose SPF record was checked: MAIL FROM\'s, or the HELO name\'s for a bounce; null when unknown.'),
  ...explained,
}).openapi('ApiSpfVerdict', { description: 'SPF for the client IP, HELO and MAIL FROM this server saw.' });

const dkimSchema = z.object({
  result: authResultSchema,
  domain: nullableText('The signing domain (`d=`).'),
  selector: nullableText('The key selector (`s=`).'),
  aligned: z.boolean().openapi({ description: 'True when the signing domain shares the From address\'s registrable domain (DMARC\'s relaxed alignment).' }),
  signedHeaders: z.array(text('A header name, lower case.')).openapi({ description: 'The headers the signature covers (`h=`).' }),
  ...explained,
}).openapi('ApiDkimVerdict', { description: 'One DKIM signature. A body changed after signing is `fail`.' });

const dmarcSchema = z.object({
  result: authResultSchema,
  domain: nullableText('The From domain.'),
  policy: z.enum(['none', 'quarantine', 'reject']).nullable().openapi({ description: 'The policy the domain publishes; null when it publishes none.' }),
  alignment: z.object({
    spf: z.boolean().openapi({ description: 'SPF passed for a domain aligned with From.' }),
    dkim: z.boolean().openapi({ description: 'A DKIM signature of a domain aligned with From passed.' }),
  }),
  ...explained,
}).openapi('ApiDmarcVerdict', { description: 'DMARC for the From domain.' });

const arcSchema = z.object({
  result: authResultSchema,
  instances: z.number().int().min(0).openapi({ description: 'ARC sets (`i=`) the message carries; 0 when it was not forwarded with ARC.' }),
  ...explained,
}).openapi('ApiArcVerdict', { description: 'The ARC chain forwarders added.' });

const checkSchema = z.object({
  id: text('Stable, for scripts: e.g. `spf`, `dkim`, `dmarc`, `from-alignment`, `text-part`, `html-size-clipping`, `list-unsubscribe-one-click`, `slow-hop` (README lists them all).'),
  status: z.enum(['pass', 'warn', 'fail', 'info']).openapi({ description: '`info` tells without judging and costs nothing.' }),
  message: text('A sentence a person can act on, sometimes followed by notes (its `messageNotes`).'),
  messageCode: sentenceCodeSchema,
  messageValues: sentenceValuesSchema,
  messageNotes: z.array(sentenceSchema).openapi({ description: 'The sentences of `message` after the first, in order: notes such as "only the first 256 KiB of the HTML were read". Usually empty.' }),
  penalty: z.number().min(0).openapi({ description: 'Points this check took off the score.' }),
}).openapi('ApiReportCheck', { description: 'One finding.' });

const hopSchema = z.object({
  from: nullableText('The host that handed the message on, as the receiving host recorded it.'),
  by: nullableText('The host that received it.'),
  at: z.iso.datetime().nullable().openapi({ description: 'When that host received it; null when its date is missing or unreadable.' }),
  delaySeconds: z.number().nullable().openapi({ description: 'Seconds since the previous hop (since the Date header for the first); null when either time is unknown. Negative when clocks disagree.' }),
}).openapi('ApiTimelineHop', { description: 'One relay, from a Received header; the last is this server.' });

const timelineSchema = z.object({
  sentAt: z.iso.datetime().nullable().openapi({ description: 'The Date header; null when missing or unreadable.' }),
  receivedAt: z.iso.datetime().openapi({ description: 'When this server received it.' }),
  hops: z.array(hopSchema).openapi({ description: 'Oldest first.' }),
  totalSeconds: z.number().nullable().openapi({ description: 'From the Date header to arrival here; null without a readable Date.' }),
  omittedHops: z.number().int().min(0).openapi({ description: 'Received headers left unread: only the newest 50 are read, so a forged chain costs bounded work.' }),
}).openapi('ApiTimeline', { description: 'How long the message took, hop by hop.' });

/** `GET /api/inboxes/{address}/messages/{id}/report` */
export const reportSchema = z.object({
  score: z.number().min(0).max(10).openapi({ description: '0 to 10, one decimal: 10 less every check\'s penalty; 10 means nothing to fix.' }),
  authentication: z.object({
    spf: spfSchema,
    dkim: z.array(dkimSchema).openapi({ description: 'Every DKIM signature; empty when the message is not signed.' }),
    dmarc: dmarcSchema,
    arc: arcSchema,
    dnsChecked: z.boolean().openapi({ description: 'False when this server makes no DNS lookups (`--dns-servers off`): the DNS-based results are then `none`.' }),
  }).openapi({ description: 'What a receiving provider would make of who sent it.' }),
  checks: z.array(checkSchema).openapi({ description: 'Every check, worst first: fail, warn, info, pass.' }),
  timeline: timelineSchema,
}).openapi('ApiReport', { description: 'Whether a receiving provider would put this message in the inbox or in spam, and why.' });
