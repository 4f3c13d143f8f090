/**
 * The deliverability report of one message: what a receiving provider would
 * make of it (authentication, content, timing) and one score to compare.
 * Internal types; the API's own schema is src/http/api/report-schema.ts.
 */
import type { Sentence, SentenceValues } from './sentences/sentence.js';
import type { SentenceCode } from './sentences/sentences.js';

/** A verdict's sentence: in English, and as the code and values it was made of (src/report/sentences/). */
export interface Explained {
  /** A sentence; for any result but pass, what to fix. */
  explanation: string;
  explanationCode: SentenceCode;
  explanationValues: SentenceValues;
}

/** Authentication verdicts, in the words of RFC 8601 (Authentication-Results). */
export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

/** SPF for the client IP, HELO and MAIL FROM that intake saw. */
export interface SpfVerdict extends Explained {
  result: AuthResult;
  /** The domain whose record was checked: MAIL FROM's, or the HELO name's for a bounce; null when there was none. */
  domain: string | null;
}

/** One DKIM signature. */
export interface DkimVerdict extends Explained {
  result: AuthResult;
  /** The signing domain (`d=`); null when the signature could not be read. */
  domain: string | null;
  selector: string | null;
  /** True when `d=` aligns with the From domain (relaxed, as DMARC counts it by default). */
  aligned: boolean;
  /** Header names the signature covers (`h=`), lower case, as listed. */
  signedHeaders: string[];
}

/** DMARC for the From domain. */
export interface DmarcVerdict extends Explained {
  result: AuthResult;
  /** The From domain; null without a readable From. */
  domain: string | null;
  /** The policy the domain publishes; null when it publishes none. */
  policy: 'none' | 'quarantine' | 'reject' | null;
  /** Whether an SPF pass and a DKIM pass aligned with the From domain. */
  alignment: { spf: boolean; dkim: boolean };
}

/** The ARC chain a forwarder added, if any. */
export interface ArcVerdict extends Explained {
  result: AuthResult;
  /** Number of ARC sets (`i=`) found. */
  instances: number;
}

/** What the authentication of the message came to. */
export interface Authentication {
  spf: SpfVerdict;
  dkim: DkimVerdict[];
  dmarc: DmarcVerdict;
  arc: ArcVerdict;
  /** False when DNS lookups are switched off (`--dns-servers off`): DNS-based results are then `none`. */
  dnsChecked: boolean;
}

/** How a check came out: `info` tells without judging and costs nothing. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'info';

/** One finding, with a stable id scripts can look for. */
export interface ReportCheck {
  /** Stable, kebab-case: e.g. `text-part`, `html-size-clipping`. */
  id: string;
  status: CheckStatus;
  /** A sentence a person can act on, sometimes followed by notes. */
  message: string;
  /** The code of the first sentence of `message`, and the values it names. */
  messageCode: SentenceCode;
  messageValues: SentenceValues;
  /** The sentences of `message` after the first: notes such as "only the first 256 KiB of the HTML were read". */
  messageNotes: Sentence[];
  /** Points this check takes off the score (0 for pass and info). */
  penalty: number;
}

/** One relay the message passed through, from a Received header, oldest first. */
export interface TimelineHop {
  /** The host that handed the message over, as the receiving host recorded it. */
  from: string | null;
  /** The host that received it. */
  by: string | null;
  /** When that host received it (ISO time); null when its date is missing or unreadable. */
  at: string | null;
  /** Seconds since the previous hop (or since the Date header for the first); null when either time is unknown. */
  delaySeconds: number | null;
}

/** How long the message took to arrive, hop by hop. */
export interface Timeline {
  /** The Date header (ISO time), or null. */
  sentAt: string | null;
  /** When this server received it (ISO time): the last hop. */
  receivedAt: string;
  hops: TimelineHop[];
  /** Seconds from the Date header to arrival here; null without a readable Date. */
  totalSeconds: number | null;
  /** Received headers left unread: past the newest 50, the oldest are dropped so a forged chain costs bounded work. */
  omittedHops: number;
}

/** The whole report. */
export interface DeliverabilityReport {
  /** 0 to 10, one decimal; 10 means nothing to fix. */
  score: number;
  authentication: Authentication;
  /** Every check made, authentication and timing included, worst first. */
  checks: ReportCheck[];
  timeline: Timeline;
}
