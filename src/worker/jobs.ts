import type { SafeHtml } from '../sanitize/html.js';
import type { ParsedMessage } from '../mail/parse/parse.js';
import type { MessageDigest } from '../mail/read/digest.js';
import type { ReportSubject } from '../report/build-report.js';
import type { DeliverabilityReport } from '../report/report.js';
import type { DnsSettings } from '../report/dns-resolver.js';

/**
 * A message's raw bytes as a job carries them: the first `length` bytes of
 * the thread's shared scratch area, which the pool fills before each job and
 * does not touch again until the job is answered.
 */
export interface ScratchBytes {
  scratch: SharedArrayBuffer;
  length: number;
}

/** What a thread needs to make reports: how to reach DNS, and the name it checks as. */
export interface ReportSettings {
  dns: DnsSettings;
  /** This server's name, as receivers name themselves in Authentication-Results. */
  receiver: string;
}

/** A report's subject as a job carries it: the raw bytes travel as for a parse. */
export type ReportFacts = Omit<ReportSubject, 'raw'>;

/** Work a pool thread can do; each kind names its own input. */
export type WorkerJob =
  | { id: number; kind: 'digest' | 'parse'; raw: ScratchBytes }
  | { id: number; kind: 'report'; raw: ScratchBytes; facts: ReportFacts }
  | { id: number; kind: 'html'; html: string; allowRemote: boolean; contentIdUrls: Array<[string, string]> };

/** A pool thread's answer to the job with the same id. */
export type WorkerReply =
  | { id: number; kind: 'digest'; digest: MessageDigest }
  | { id: number; kind: 'parse'; parsed: ParsedMessage; digest: MessageDigest }
  | { id: number; kind: 'html'; document: Uint8Array<ArrayBuffer>; blockedRemoteCount: number }
  /** `report` is null when no thread could finish it; `failure` then says why. */
  | { id: number; kind: 'report'; report: DeliverabilityReport | null; failure: string | null };

/** Asks a thread to load what reads need before any read comes (src/worker/warm-up.ts). */
export interface WarmRequest {
  kind: 'warm';
}

/** A thread's answer to a WarmRequest: how long loading took, or why it failed (the thread serves jobs either way). */
export interface WarmReply {
  kind: 'warm';
  ms: number;
  failure: string | null;
}

/** A message's sanitised HTML document, as the pool answers an HTML job: ready to send. */
export interface RenderedHtml {
  /** The document as UTF-8 bytes, sent as it is to every client that asks, never copied per response. */
  document: Buffer;
  /** Remote images and CSS url()s left out because remote content was not allowed. */
  blockedRemoteCount: number;
}

/** A job as the pool holds it on the main thread: raw bytes stay there and reach a thread through its scratch area. */
export type PoolJob =
  | { id: number; kind: 'digest' | 'parse'; raw: Buffer }
  | { id: number; kind: 'report'; raw: Buffer; facts: ReportFacts }
  | Extract<WorkerJob, { kind: 'html' }>;

/**
 * The reply to an HTML job. The document travels as UTF-8 bytes in a buffer
 * of its own, transferred rather than copied, and is sent to every client
 * that asks for it as it is: the main thread never holds it as a string.
 */
export function htmlReply(id: number, safeHtml: SafeHtml): WorkerReply {
  return { id, kind: 'html', document: new TextEncoder().encode(safeHtml.document), blockedRemoteCount: safeHtml.blockedRemoteCount };
}
