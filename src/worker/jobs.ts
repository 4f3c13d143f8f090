import type { SafeHtml } from '../http/safe-html.js';
import type { ParsedMessage } from '../mail/parse.js';
import type { MessageDigest } from '../store/message.js';

/** Work a pool thread can do; each kind names its own input. */
export type WorkerJob =
  | { id: number; kind: 'digest'; raw: Uint8Array }
  | { id: number; kind: 'parse'; raw: Uint8Array }
  | { id: number; kind: 'html'; html: string; allowRemote: boolean; contentIdUrls: Array<[string, string]> };

/** A pool thread's answer to the job with the same id. */
export type WorkerReply =
  | { id: number; kind: 'digest'; digest: MessageDigest }
  | { id: number; kind: 'parse'; parsed: ParsedMessage }
  | { id: number; kind: 'html'; safeHtml: SafeHtml };
